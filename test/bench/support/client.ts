// The network half is imported through its bundle entry, src/core/network.ts, as the extension
// loads it: the modules behind it may move, the entry's exports are what the editor relies on.
import { CloudflareClient, createTransport } from '../../../src/core/network';
import type { SandboxAddress } from '../sandboxProcess';

type Transport = ReturnType<typeof createTransport>;

/** Loopback needs no proxy and no system certificates. */
const DIRECT: Parameters<typeof createTransport>[1] = {
  proxy: '',
  proxyStrictSSL: true,
  systemCertificates: false,
  env: {},
};

export interface BenchClient {
  client: CloudflareClient;
  dispatcher: Transport['dispatcher'];
  close(): Promise<void>;
}

/** The client as a command opens it: one keep-alive pool of `connections`, from createTransport. */
export function clientFor(sandbox: SandboxAddress, connections: number): BenchClient {
  const { dispatcher } = createTransport(sandbox.url, DIRECT, connections);
  const client = new CloudflareClient({
    baseUrl: sandbox.url,
    credentials: { authMethod: 'apiToken', apiToken: sandbox.token },
    dispatcher,
    timeoutMs: 30_000,
    userAgent: 'cloudflare-origin-regions-vscode/bench',
  });
  return { client, dispatcher, close: () => dispatcher.close() };
}
