import * as vscode from 'vscode';
import { extractIps } from '../core/ip/extract';
import type { Extraction, TextSegment } from '../core/ip/types';
import { ipAddressCount } from './messages';

/**
 * The editor whose IPs a command reads: the active one, unless it shows the extension's own
 * log or another output channel (its IPs are ours, not the user's list).
 */
export function editorWithIps(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  return editor && editor.document.uri.scheme !== 'output' ? editor : undefined;
}

/** Reads the IPs of every selection; with none, offers the whole document (or takes it unasked). */
export async function readSelectedIps(
  editor: vscode.TextEditor,
  ask: boolean,
): Promise<Extraction | undefined> {
  const document = editor.document;
  const selections = editor.selections
    .filter((selection) => !selection.isEmpty)
    .sort((a, b) => a.start.compareTo(b.start));
  if (selections.length > 0) {
    return extractIps(selections.map((selection) => segmentOf(document, selection)));
  }

  const whole = extractIps([{ text: document.getText(), line: 0, character: 0 }]);
  if (!ask) return whole;
  const useWhole = vscode.l10n.t('Use Whole Document');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t(
      'Nothing is selected. Use the whole document? It holds {0}.',
      ipAddressCount(whole.ips.length),
    ),
    { modal: true },
    useWhole,
  );
  return choice === useWhole ? whole : undefined;
}

/** How much of the line on each side of a selection is read, to see an address it cuts. */
const CONTEXT_CHARACTERS = 256;

function segmentOf(document: vscode.TextDocument, selection: vscode.Selection): TextSegment {
  // A selection set by code may reach past the last line until the editor corrects it.
  const { start, end } = document.validateRange(selection);
  const from = new vscode.Position(start.line, Math.max(0, start.character - CONTEXT_CHARACTERS));
  const lineEnd = document.lineAt(end.line).range.end.character;
  const to = new vscode.Position(end.line, Math.min(lineEnd, end.character + CONTEXT_CHARACTERS));
  const selectedStart = start.character - from.character;
  return {
    text: document.getText(new vscode.Range(from, to)),
    line: from.line,
    character: from.character,
    selected: {
      start: selectedStart,
      end: selectedStart + document.offsetAt(end) - document.offsetAt(start),
    },
  };
}
