// The network half of the extension, bundled apart as dist/network.js: evaluating undici is
// costly, so the editor glue loads this file only when a command first talks to Cloudflare.
export { CloudflareClient } from './cloudflare/client';
export { createTransport } from './cloudflare/transport';
export { deleteInBatches, restoreInBatches } from './run/batchRun';
export { readAllMappings, readSnapshot, retryingReader } from './run/snapshot';
