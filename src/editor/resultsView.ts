import * as vscode from 'vscode';
import type { Zone } from '../core/cloudflare/responses';
import type { RunReport } from '../core/report';
import { followEdit } from '../core/results/adjust';
import type { PlacedResult, Severity } from '../core/results/placement';

/** One zone's part of a document's last run: what retry and export read. */
export interface LastRun {
  report: RunReport;
  zone: Zone;
  finishedAt: Date;
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

/**
 * The results of the last run of each document, as diagnostics on every place an IP is written.
 * Results follow edits elsewhere in the document; an edit of an IP's own text drops its result.
 */
export class ResultsView implements vscode.Disposable {
  private readonly collection =
    vscode.languages.createDiagnosticCollection('cloudflareOriginRegions');
  private readonly results = new Map<
    string,
    { uri: vscode.Uri; placed: PlacedResult[]; runs: LastRun[] }
  >();
  /** The newest run of any document, for Export Report. */
  private newest: LastRun[] = [];
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      this.collection,
      vscode.workspace.onDidChangeTextDocument((event) => this.follow(event)),
      vscode.workspace.onDidCloseTextDocument((document) => this.clear(document.uri)),
      // A closed editor's document may stay open in the background for a while; the user
      // closed it, so its results go now.
      vscode.window.tabGroups.onDidChangeTabs((event) => this.clearClosed(event.closed)),
    ];
  }

  /**
   * Replaces the results shown on a document, and remembers the run they came from: one entry
   * per zone it deleted from, none for a preview.
   */
  show(uri: vscode.Uri, placed: PlacedResult[], runs: LastRun[] = []): void {
    this.results.set(uri.toString(), { uri, placed, runs });
    if (runs.length > 0) this.newest = runs;
    this.render(uri, placed);
  }

  /** The last run of a document, one entry per zone, if its results are still shown. */
  lastRun(uri: vscode.Uri): LastRun[] {
    return this.results.get(uri.toString())?.runs ?? [];
  }

  /** The newest run of any document, even one whose results were cleared. */
  newestRun(): LastRun[] {
    return this.newest;
  }

  /** The results shown on a document, where they stand now. */
  placedIn(uri: vscode.Uri): readonly PlacedResult[] {
    return this.results.get(uri.toString())?.placed ?? [];
  }

  /** Clears one document's results, or every document's. */
  clear(uri?: vscode.Uri): void {
    if (!uri) {
      this.results.clear();
      this.collection.clear();
      return;
    }
    this.results.delete(uri.toString());
    this.collection.delete(uri);
  }

  private clearClosed(closed: readonly vscode.Tab[]): void {
    const stillOpen = new Set(
      vscode.window.tabGroups.all.flatMap((group) =>
        group.tabs.map((tab) => tabUri(tab)?.toString()),
      ),
    );
    for (const uri of closed.map(tabUri)) {
      if (uri && !stillOpen.has(uri.toString())) this.clear(uri);
    }
  }

  private follow(event: vscode.TextDocumentChangeEvent): void {
    const entry = this.results.get(event.document.uri.toString());
    if (!entry || event.contentChanges.length === 0) return;
    let placed = entry.placed;
    for (const change of event.contentChanges) {
      const edit = { start: change.range.start, end: change.range.end, text: change.text };
      placed = placed.flatMap((result) => {
        const range = followEdit(result.range, edit);
        return range ? [{ ...result, range }] : [];
      });
    }
    entry.placed = placed;
    this.render(entry.uri, placed);
  }

  private render(uri: vscode.Uri, placed: PlacedResult[]): void {
    this.collection.set(
      uri,
      placed.map(({ range, severity, message, code }) => {
        const diagnostic = new vscode.Diagnostic(
          new vscode.Range(range.line, range.character, range.line, range.character + range.length),
          message,
          SEVERITY[severity],
        );
        diagnostic.source = 'Cloudflare Origin Regions';
        diagnostic.code = code;
        return diagnostic;
      }),
    );
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.results.clear();
  }
}

function tabUri(tab: vscode.Tab): vscode.Uri | undefined {
  return tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
}
