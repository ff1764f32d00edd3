import type { Services } from '../services';

/** `cloudflareOriginRegions.showLog`: reveals the log channel. */
export function showLog(services: Services): void {
  services.log.show(true);
}
