import { CloudflareClient, type Exchange } from '../../src/core/cloudflare/client';
import type { Credentials } from '../../src/core/cloudflare/credentials';
import { createTransport } from '../../src/core/cloudflare/transport';
import type { RetryTiming } from '../../src/core/run/retryPolicy';
import { startSandbox, type Sandbox } from '../sandbox/server';

export const USER_AGENT = 'cloudflare-origin-regions-vscode/0.0.0-test';

/** Retry timing short enough for tests, with fixed jitter. */
export const FAST_RETRIES: RetryTiming = {
  baseDelayMs: 5,
  maxDelayMs: 40,
  maxRetryAfterSeconds: 5,
  random: () => 0.5,
};

export interface TestClient {
  client: CloudflareClient;
  exchanges: Exchange[];
  close(): Promise<void>;
}

export interface ClientOptions {
  credentials?: Credentials;
  timeoutMs?: number;
  maxResponseBytes?: number;
  connections?: number;
}

/** A real client over a real keep-alive pool, pointed at the sandbox. */
export function clientFor(sandbox: Sandbox, options: ClientOptions = {}): TestClient {
  const credentials = options.credentials ?? { authMethod: 'apiToken', apiToken: sandbox.token };
  const transport = createTransport(
    sandbox.url,
    { proxy: '', proxyStrictSSL: true, systemCertificates: false, env: {} },
    options.connections ?? 2,
  );
  const exchanges: Exchange[] = [];
  const client = new CloudflareClient({
    baseUrl: sandbox.url,
    credentials,
    dispatcher: transport.dispatcher,
    timeoutMs: options.timeoutMs ?? 5000,
    userAgent: USER_AGENT,
    maxResponseBytes: options.maxResponseBytes,
    onExchange: (exchange) => exchanges.push(exchange),
  });
  return { client, exchanges, close: () => transport.dispatcher.close() };
}

/**
 * Registers the hooks of a suite that talks to one sandbox: started before the suite, reset
 * before each test with a fresh client handed to `take`, that client closed after the test.
 * The function it returns swaps the client for one with other options, for one test.
 */
export function useSandboxClient(
  take: (sandbox: Sandbox, api: TestClient) => void,
): (options: ClientOptions) => Promise<void> {
  let sandbox: Sandbox | undefined;
  let api: TestClient | undefined;

  before(async () => {
    sandbox = await startSandbox();
  });
  beforeEach(() => {
    sandbox!.reset();
    api = clientFor(sandbox!);
    take(sandbox!, api);
  });
  afterEach(() => api?.close());
  after(() => sandbox?.close());

  return async (options) => {
    await api?.close();
    api = clientFor(sandbox!, options);
    take(sandbox!, api);
  };
}
