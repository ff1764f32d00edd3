// Run by figure 3 in a fresh process, given the folder of an unpacked extension: how long plain
// Node takes to evaluate the entry bundle, with a stub for the `vscode` module, and then the
// commands bundle and the network bundle that the first command loads. With `--builtins-loaded`, the Node modules the bundles name (node:crypto, node:http,
// ...) are loaded first, as an extension host has mostly done already, so only the bundles'
// own evaluation is timed. Prints {"extensionMs": ..., "commandsMs": ..., "networkMs": ...}.
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

type Loader = { _resolveFilename(request: string, ...rest: unknown[]): string };

const VSCODE_STUB_ID = '<vscode stub>';
const extensionRoot = process.argv[2];
const BUNDLES = ['extension.js', 'commands.js', 'network.js'].map((file) =>
  path.join(extensionRoot, 'dist', file),
);
const load = Module.createRequire(__filename);

/**
 * Answers every property, call and `new` with itself: enough for a module's top level. Its
 * prototype answers too, for bundlers' interop helpers that copy a module onto a new object.
 */
function anything(): unknown {
  const answer = (_target: unknown, property: string | symbol) =>
    property === Symbol.toPrimitive ? () => '' : stub;
  const prototype = new Proxy({}, { get: answer });
  const stub: unknown = new Proxy(function () {}, {
    get: answer,
    getPrototypeOf: () => prototype,
    apply: () => stub,
    construct: () => stub as object,
  });
  return stub;
}

function installVscodeStub(): void {
  const loader = Module as unknown as Loader;
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? VSCODE_STUB_ID : resolve.call(this, request, ...rest);
  };
  const stub = new Module(VSCODE_STUB_ID);
  stub.exports = anything();
  stub.loaded = true;
  load.cache[VSCODE_STUB_ID] = stub;
}

function loadBuiltinsOfBundles(): void {
  for (const bundle of BUNDLES) {
    for (const [, name] of readFileSync(bundle, 'utf8').matchAll(/require\("(node:[^"]+)"\)/g)) {
      load(name);
    }
  }
}

function timeRequire(file: string): number {
  const started = performance.now();
  load(file);
  return performance.now() - started;
}

installVscodeStub();
if (process.argv.includes('--builtins-loaded')) loadBuiltinsOfBundles();
const extensionMs = timeRequire(BUNDLES[0]);
const commandsMs = timeRequire(BUNDLES[1]);
const networkMs = timeRequire(BUNDLES[2]);
console.log(JSON.stringify({ extensionMs, commandsMs, networkMs }));
