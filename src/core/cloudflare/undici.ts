/* eslint-disable @typescript-eslint/no-require-imports */
import type * as Undici from 'undici';

// undici's entry point also evaluates fetch, WebSocket, caches and mocks, none of which this
// extension uses. Requiring only the dispatchers halves dist/network.js and loads it about three
// times faster. The dispatchers get their API methods here as the entry point would give them:
// we call `request`, and the proxy agents open tunnels with `connect`.
const Dispatcher = require('undici/lib/dispatcher/dispatcher');
Object.assign(Dispatcher.prototype, require('undici/lib/api'));

export const Agent: typeof Undici.Agent = require('undici/lib/dispatcher/agent');
export const ProxyAgent: typeof Undici.ProxyAgent = require('undici/lib/dispatcher/proxy-agent');
export const EnvHttpProxyAgent: typeof Undici.EnvHttpProxyAgent = require('undici/lib/dispatcher/env-http-proxy-agent');
export type Dispatcher = Undici.Dispatcher;
