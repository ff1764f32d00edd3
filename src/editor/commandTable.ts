// Entry of dist/commands.js: every command's code, and the IP extractor with ipaddr.js that
// most of them use. activate() registers the commands by name and loads this file on the
// first call, so activation evaluates only the glue it needs.
import * as vscode from 'vscode';
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

type Command = (services: Services, args?: unknown) => unknown;

let running = false;

/**
 * Commands that send a run and show its results run one at a time in a window, so that the
 * results, the status bar and the log each tell of one run; another is refused meanwhile.
 */
function oneAtATime(command: Command): Command {
  return async (services, args) => {
    if (running) {
      const message = vscode.l10n.t(
        'Another run (a deletion, retry, restore or preview) is still going on in this window; wait for it to end, or cancel it, and try again. Nothing was sent.',
      );
      services.log.warn(message);
      void vscode.window.showWarningMessage(message);
      return undefined;
    }
    running = true;
    try {
      return await command(services, args);
    } finally {
      running = false;
    }
  };
}

export const COMMANDS: Record<CommandId, Command> = {
  deleteSelected: oneAtATime(deleteSelected),
  previewSelected: oneAtATime(previewSelected),
  restoreDeleted: oneAtATime(restoreDeleted),
  retryFailed: oneAtATime(retryFailed),
  showMappings,
  exportReport,
  setCredentials,
  clearCredentials,
  clearResults,
  showLog,
};
