import * as vscode from 'vscode';
import type { Zone } from '../core/cloudflare/responses';
import type { RunReport } from '../core/report';
import { followEdit, type TextEdit } from '../core/results/adjust';
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
 * The edits of a document since a run read its text, so that the run's results, placed where
 * the IPs stood then, land where they stand when it ends. Dispose of it when the run ends.
 */
export class EditsSinceRead implements vscode.Disposable {
  private readonly edits: TextEdit[] = [];
  private tabClosed = false;

  constructor(
    private readonly document: vscode.TextDocument,
    private readonly release: (recorder: EditsSinceRead) => void,
  ) {}

  get uri(): vscode.Uri {
    return this.document.uri;
  }

  /** The document, or its last tab, was closed meanwhile: there is nothing to show results on. */
  get closed(): boolean {
    return this.tabClosed || this.document.isClosed;
  }

  markTabClosed(): void {
    this.tabClosed = true;
  }

  record(changes: readonly vscode.TextDocumentContentChangeEvent[]): void {
    this.edits.push(...changes.map(toTextEdit));
  }

  /** Moves results placed on the text as read to where it stands now; edited IPs drop out. */
  apply(placed: readonly PlacedResult[]): PlacedResult[] {
    return followEdits(placed, this.edits);
  }

  dispose(): void {
    this.release(this);
  }
}

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
  /** Runs under way, each following the edits of the document it read. */
  private readonly recorders = new Set<EditsSinceRead>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      this.collection,
      vscode.workspace.onDidChangeTextDocument((event) => this.follow(event)),
      vscode.workspace.onDidCloseTextDocument((document) => this.documentClosed(document)),
      // A closed editor's document may stay open in the background for a while; the user
      // closed it, so its results go now.
      vscode.window.tabGroups.onDidChangeTabs((event) => this.clearClosed(event.closed)),
    ];
  }

  /** Starts recording a document's edits, for a run that has just read its text. */
  recordEdits(document: vscode.TextDocument): EditsSinceRead {
    const recorder = new EditsSinceRead(document, (done) => this.recorders.delete(done));
    this.recorders.add(recorder);
    return recorder;
  }

  /**
   * Replaces the results shown on a document, and remembers the run they came from: one entry
   * per zone it deleted from, none for a preview. A document closed since the run read it
   * gets none; its run is still the newest, for Export Report.
   */
  show(uri: vscode.Uri, placed: PlacedResult[], runs: LastRun[] = [], closed = false): void {
    if (runs.length > 0) this.newest = runs;
    if (closed) return;
    this.results.set(uri.toString(), { uri, placed, runs });
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
      if (!uri || stillOpen.has(uri.toString())) continue;
      for (const recorder of this.recorders) {
        if (recorder.uri.toString() === uri.toString()) recorder.markTabClosed();
      }
      this.clear(uri);
    }
  }

  // VS Code may dispose of a document some time after its tab closed, even once the same file
  // is open again in a new document: only the results of a file no longer open go.
  private documentClosed(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const reopened = vscode.workspace.textDocuments.some(
      (open) => open !== document && !open.isClosed && open.uri.toString() === key,
    );
    if (!reopened) this.clear(document.uri);
  }

  private follow(event: vscode.TextDocumentChangeEvent): void {
    if (event.contentChanges.length === 0) return;
    const key = event.document.uri.toString();
    for (const recorder of this.recorders) {
      if (recorder.uri.toString() === key) recorder.record(event.contentChanges);
    }
    const entry = this.results.get(key);
    if (!entry) return;
    entry.placed = followEdits(entry.placed, event.contentChanges.map(toTextEdit));
    this.render(entry.uri, entry.placed);
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

function toTextEdit(change: vscode.TextDocumentContentChangeEvent): TextEdit {
  return { start: change.range.start, end: change.range.end, text: change.text };
}

/** Results moved along a document's edits, in order; one whose own text was edited drops out. */
function followEdits(placed: readonly PlacedResult[], edits: readonly TextEdit[]): PlacedResult[] {
  let moved = [...placed];
  for (const edit of edits) {
    moved = moved.flatMap((result) => {
      const range = followEdit(result.range, edit);
      return range ? [{ ...result, range }] : [];
    });
  }
  return moved;
}

function tabUri(tab: vscode.Tab): vscode.Uri | undefined {
  return tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
}
