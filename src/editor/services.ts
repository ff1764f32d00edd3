import type * as vscode from 'vscode';
import type { CredentialStore } from './credentialStore';
import type { JournalStore } from './journalStore';
import type { KnownMappings } from './knownMappings';
import type { RunStatus } from './runStatus';
import type { ResultsView } from './resultsView';

/** What the commands share, built once in activate(). */
export interface Services {
  log: vscode.LogOutputChannel;
  credentials: CredentialStore;
  results: ResultsView;
  journal: JournalStore;
  knownMappings: KnownMappings;
  status: RunStatus;
  workspaceState: vscode.Memento;
  userAgent: string;
}
