import * as tls from 'node:tls';
import { Agent, EnvHttpProxyAgent, ProxyAgent, type Dispatcher } from './undici';
import { isLoopbackHost } from '../settings';

/** The editor's network settings that undici, which bypasses VS Code's own proxy support, must honour. */
export interface NetworkSettings {
  /** VS Code's `http.proxy`; empty for none. */
  proxy: string;
  /** VS Code's `http.proxyStrictSSL`. */
  proxyStrictSSL: boolean;
  /** VS Code's `http.systemCertificates`: also trust the operating system's CA certificates. */
  systemCertificates: boolean;
  /** The process environment, for `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`. */
  env: Record<string, string | undefined>;
}

export interface Transport {
  dispatcher: Dispatcher;
  /** How requests travel, for the log; never contains proxy credentials. */
  route: string;
}

/**
 * Creates the one keep-alive connection pool a run uses, routed as the settings say:
 * loopback hosts directly, else `http.proxy`, else the proxy environment variables, else directly.
 */
export function createTransport(
  baseUrl: string,
  settings: NetworkSettings,
  connections: number,
): Transport {
  const common = { connections, keepAliveTimeout: 30_000, pipelining: 1 };
  const ca = settings.systemCertificates ? trustedCertificates() : undefined;
  const connect = ca ? { ca } : {};
  const host = new URL(baseUrl).hostname;

  if (isLoopbackHost(host)) {
    return { dispatcher: new Agent({ ...common, connect }), route: 'direct (loopback)' };
  }

  const tlsOptions = { ...connect, rejectUnauthorized: settings.proxyStrictSSL };
  if (settings.proxy.trim()) {
    return {
      dispatcher: new ProxyAgent({
        ...common,
        uri: settings.proxy.trim(),
        requestTls: tlsOptions,
        proxyTls: tlsOptions,
      }),
      route: `through proxy ${withoutCredentials(settings.proxy)} (http.proxy)`,
    };
  }

  const env = settings.env;
  const httpsProxy = env.HTTPS_PROXY ?? env.https_proxy;
  const httpProxy = env.HTTP_PROXY ?? env.http_proxy;
  if (httpsProxy || httpProxy) {
    return {
      dispatcher: new EnvHttpProxyAgent({
        ...common,
        httpProxy,
        httpsProxy,
        noProxy: env.NO_PROXY ?? env.no_proxy,
        requestTls: tlsOptions,
        proxyTls: tlsOptions,
        connect,
      }),
      route: `through proxy ${withoutCredentials(httpsProxy ?? httpProxy ?? '')} (environment)`,
    };
  }

  return { dispatcher: new Agent({ ...common, connect }), route: 'direct' };
}

/** Node's bundled CA list plus the operating system's store (Node 22.15 and later). */
export function trustedCertificates(): string[] | undefined {
  if (typeof tls.getCACertificates !== 'function') return undefined;
  return [...new Set([...tls.getCACertificates('default'), ...tls.getCACertificates('system')])];
}

function withoutCredentials(proxy: string): string {
  try {
    const url = new URL(proxy);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return '(unparsable proxy URL)';
  }
}
