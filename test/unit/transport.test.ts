import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { CloudflareClient } from '../../src/core/cloudflare/client';
import {
  createTransport,
  trustedCertificates,
  type NetworkSettings,
} from '../../src/core/cloudflare/transport';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { startProxy, type TestProxy } from '../support/proxy';
import { USER_AGENT } from '../support/clients';

const TLS_FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'support', 'tls');

const NO_PROXY: NetworkSettings = {
  proxy: '',
  proxyStrictSSL: true,
  systemCertificates: false,
  env: {},
};

describe('how requests travel', () => {
  let sandbox: Sandbox;
  let proxy: TestProxy;

  before(async () => {
    sandbox = await startSandbox();
    proxy = await startProxy(sandbox.port);
  });
  beforeEach(() => {
    sandbox.reset();
    proxy.tunnels.length = 0;
  });
  after(async () => {
    await proxy.close();
    await sandbox.close();
  });

  /** Verifies the sandbox token through a client for `baseUrl`, whose host only the proxy knows. */
  async function verifyThrough(baseUrl: string, settings: NetworkSettings) {
    const transport = createTransport(baseUrl, settings, 1);
    const client = new CloudflareClient({
      baseUrl,
      credentials: { authMethod: 'apiToken', apiToken: sandbox.token },
      dispatcher: transport.dispatcher,
      timeoutMs: 3000,
      userAgent: USER_AGENT,
    });
    try {
      await client.verifyCredentials();
      return transport.route;
    } finally {
      await transport.dispatcher.close();
    }
  }

  // The host name below does not resolve: the request can only succeed through the proxy.
  const remoteUrl = 'http://api.cloudflare.invalid/client/v4';

  it('goes through http.proxy when it is set', async () => {
    const route = await verifyThrough(remoteUrl, { ...NO_PROXY, proxy: proxy.url });
    assert.deepEqual(proxy.tunnels, ['api.cloudflare.invalid:80']);
    assert.match(route, /through proxy http:\/\/127\.0\.0\.1:\d+ \(http\.proxy\)/);
  });

  it('sends proxy credentials from the URL but never shows them', async () => {
    const withUser = proxy.url.replace('http://', 'http://alice:s3cret@');
    const route = await verifyThrough(remoteUrl, { ...NO_PROXY, proxy: withUser });
    assert.deepEqual(proxy.authorized, [...proxy.authorized.slice(0, -1), true]);
    assert.ok(!route.includes('s3cret') && !route.includes('alice'), route);
  });

  it('goes through HTTP_PROXY from the environment when http.proxy is empty', async () => {
    const route = await verifyThrough(remoteUrl, { ...NO_PROXY, env: { HTTP_PROXY: proxy.url } });
    assert.deepEqual(proxy.tunnels, ['api.cloudflare.invalid:80']);
    assert.match(route, /\(environment\)/);
  });

  it('goes through HTTPS_PROXY for an https API URL', async () => {
    // The tunnel reaches the plain-HTTP sandbox, so the TLS handshake fails after it: the
    // request was routed through the proxy all the same.
    await assert.rejects(
      verifyThrough('https://api.cloudflare.invalid/client/v4', {
        ...NO_PROXY,
        env: { HTTPS_PROXY: proxy.url },
      }),
    );
    assert.deepEqual(proxy.tunnels, ['api.cloudflare.invalid:443']);
  });

  describe('to an API whose certificate no authority signed (a TLS-inspecting proxy)', () => {
    let api: https.Server;
    let tunnel: TestProxy;
    const tlsUrl = 'https://api.cloudflare.invalid/client/v4';

    before(async () => {
      const fixture = (name: string) => readFileSync(path.join(TLS_FIXTURES, name));
      api = https.createServer(
        { key: fixture('self-signed.key'), cert: fixture('self-signed.crt') },
        (_request, response) => {
          response.setHeader('content-type', 'application/json');
          response.end(
            JSON.stringify({
              success: true,
              errors: [],
              messages: [],
              result: { status: 'active' },
            }),
          );
        },
      );
      await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
      tunnel = await startProxy((api.address() as AddressInfo).port);
    });
    after(async () => {
      await tunnel.close();
      await new Promise((resolve) => api.close(resolve));
    });

    it('refuses the certificate while http.proxyStrictSSL is on', async () => {
      await assert.rejects(
        verifyThrough(tlsUrl, { ...NO_PROXY, proxy: tunnel.url, proxyStrictSSL: true }),
        /certificate/i,
      );
    });

    it('accepts it when http.proxyStrictSSL is off, as VS Code itself does', async () => {
      const route = await verifyThrough(tlsUrl, {
        ...NO_PROXY,
        proxy: tunnel.url,
        proxyStrictSSL: false,
      });
      assert.match(route, /\(http\.proxy\)/);
      assert.deepEqual(tunnel.tunnels.slice(-1), ['api.cloudflare.invalid:443']);
    });
  });

  it('bypasses the environment proxy for hosts in NO_PROXY', async () => {
    await assert.rejects(
      verifyThrough(remoteUrl, {
        ...NO_PROXY,
        env: { HTTP_PROXY: proxy.url, NO_PROXY: '.invalid' },
      }),
      /Could not resolve api\.cloudflare\.invalid|Request to api\.cloudflare\.invalid failed/,
    );
    assert.deepEqual(proxy.tunnels, []);
  });

  it('never sends loopback requests through a proxy', async () => {
    const route = await verifyThrough(sandbox.url, { ...NO_PROXY, proxy: proxy.url });
    assert.equal(route, 'direct (loopback)');
    assert.deepEqual(proxy.tunnels, []);
  });

  it("trusts the operating system certificates besides Node's own when asked", () => {
    const trusted = trustedCertificates() ?? [];
    for (const certificate of tls.getCACertificates('system'))
      assert.ok(trusted.includes(certificate));
    for (const certificate of tls.getCACertificates('default'))
      assert.ok(trusted.includes(certificate));
  });
});
