/* eslint-disable @typescript-eslint/no-require-imports */
import type * as Undici from 'undici';

// undici's entry point also evaluates fetch, WebSocket, caches and mocks, none of which this
// extension uses. Requiring only the dispatchers halves dist/network.js and loads it about three
// times faster; `request` is the one API method we need on them.
const Dispatcher = require('undici/lib/dispatcher/dispatcher');
Dispatcher.prototype.request ??= require('undici/lib/api/api-request');

export const Agent: typeof Undici.Agent = require('undici/lib/dispatcher/agent');
export const ProxyAgent: typeof Undici.ProxyAgent = require('undici/lib/dispatcher/proxy-agent');
export const EnvHttpProxyAgent: typeof Undici.EnvHttpProxyAgent = require('undici/lib/dispatcher/env-http-proxy-agent');
export type Dispatcher = Undici.Dispatcher;
