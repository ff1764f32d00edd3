// The journal's restart check, for both runners: a sandbox outside the extension hosts, seeded
// here, emptied by the first host, restored by the second, and compared here at the end.
import { sampleMappings } from '../../sandbox/samples';
import { startSandbox, type MappingInput } from '../../sandbox/server';
import { SHARED_SANDBOX_ENV, type SharedSandbox } from '../sharedSandbox';

export interface RestartCheck {
  /** The environment both hosts need to find the shared sandbox. */
  env: Record<string, string>;
  /** After both hosts: 0 when the zone holds exactly its seed again, vendor and region included. */
  verify(): number;
  close(): Promise<void>;
}

export async function startRestartCheck(): Promise<RestartCheck> {
  const shared = await startSandbox({ zoneName: 'restart.example' });
  const seed = sampleMappings(30);
  shared.seed(shared.zoneId, seed);
  const info: SharedSandbox = {
    url: shared.url,
    zoneId: shared.zoneId,
    zoneName: shared.zoneName,
    token: shared.token,
    originIps: seed.map((mapping) => mapping.originIp),
  };
  const describe = (mappings: MappingInput[]) =>
    mappings.map(({ originIp, vendor, region }) => `${originIp} ${vendor} ${region}`).sort();

  return {
    env: { [SHARED_SANDBOX_ENV]: JSON.stringify(info) },
    verify() {
      const now = describe(shared.mappings());
      const expected = describe(seed);
      if (JSON.stringify(now) === JSON.stringify(expected)) {
        console.log(
          "The restart check passed: the second host restored the first host's deletion exactly.",
        );
        return 0;
      }
      console.error(
        `The restart check failed: the zone holds ${now.length} mappings, not its ${expected.length}.`,
      );
      return 1;
    },
    close: () => shared.close(),
  };
}
