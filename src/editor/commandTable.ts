// Entry of dist/commands.js: every command's code, and the IP extractor with ipaddr.js that
// most of them use. activate() registers the commands by name and loads this file on the
// first call, so activation evaluates only the glue it needs.
import { clearCredentials } from './commands/clearCredentials';
import { clearResults } from './commands/clearResults';
import { deleteSelected } from './commands/deleteSelected';
import { exportReport } from './commands/exportReport';
import { previewSelected } from './commands/previewSelected';
import { restoreDeleted } from './commands/restoreDeleted';
import { retryFailed } from './commands/retryFailed';
import { setCredentials } from './commands/setCredentials';
import { showLog } from './commands/showLog';
import { showMappings } from './commands/showMappings';
import type { CommandId } from './commandIds';
import type { Services } from './services';

export { IpHover } from './hover';

export const COMMANDS: Record<CommandId, (services: Services, args?: unknown) => unknown> = {
  deleteSelected,
  previewSelected,
  restoreDeleted,
  retryFailed,
  showMappings,
  exportReport,
  setCredentials,
  clearCredentials,
  clearResults,
  showLog,
};
