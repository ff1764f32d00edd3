import * as path from 'node:path';
import * as vscode from 'vscode';
import { Journal } from '../core/journal/journal';

/**
 * The deletion journal in the extension's global storage, so it outlives windows and restarts.
 * Old runs are pruned on first use in a session, never at activation.
 */
export class JournalStore {
  private pruned: Promise<void> | undefined;
  private readonly journal: Journal;

  constructor(
    storage: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.journal = new Journal(path.join(storage.fsPath, 'journal.jsonl'));
  }

  async open(): Promise<Journal> {
    this.pruned ??= this.prune();
    await this.pruned;
    return this.journal;
  }

  private async prune(): Promise<void> {
    const days = vscode.workspace
      .getConfiguration('cloudflareOriginRegions')
      .get<number>('journal.retentionDays', 90);
    try {
      const removed = await this.journal.prune(Math.max(1, days));
      if (removed) this.log.info(`Journal: pruned ${removed} runs older than ${days} days.`);
    } catch (error) {
      this.log.warn(`Journal: could not prune old runs: ${String(error)}`);
    }
  }
}
