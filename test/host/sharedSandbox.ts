/**
 * The sandbox the runner starts outside every extension host, for what spans two hosts (the
 * journal across a restart). Hosts inherit code-server's environment, which carries it.
 */
export interface SharedSandbox {
  url: string;
  zoneId: string;
  zoneName: string;
  token: string;
  /** The IPs seeded in its zone, one per line in the file the first host deletes from. */
  originIps: string[];
}

export const SHARED_SANDBOX_ENV = 'CFOR_SHARED_SANDBOX';

export function sharedSandbox(): SharedSandbox {
  const value = process.env[SHARED_SANDBOX_ENV];
  if (!value)
    throw new Error(`${SHARED_SANDBOX_ENV} is not set: run the suite with npm run test:host`);
  return JSON.parse(value) as SharedSandbox;
}
