import type { Services } from '../services';

/** `cloudflareOriginRegions.clearResults`: removes the results shown in every document. */
export function clearResults(services: Services): void {
  services.results.clear();
}
