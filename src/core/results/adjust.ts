import type { TextRange } from '../ip/types';

interface Position {
  line: number;
  character: number;
}

/** One edit of a document: the replaced range (zero-based, end exclusive) and the new text. */
export interface TextEdit {
  start: Position;
  end: Position;
  text: string;
}

/**
 * Moves a single-line range to follow an edit elsewhere in the document, or returns undefined
 * when the edit touches the range or stands right against it: its text changed, so a result
 * shown on it would be stale.
 */
export function followEdit(range: TextRange, edit: TextEdit): TextRange | undefined {
  const start = { line: range.line, character: range.character };
  const end = { line: range.line, character: range.character + range.length };

  if (compare(edit.start, end) > 0) return range;
  if (compare(edit.end, start) >= 0) return undefined;

  const insertedLines = edit.text.split(/\r\n|\r|\n/);
  const lineDelta = edit.start.line - edit.end.line + insertedLines.length - 1;
  if (range.line !== edit.end.line) return { ...range, line: range.line + lineDelta };

  const lastInserted = insertedLines[insertedLines.length - 1].length;
  const insertedEnd =
    insertedLines.length === 1 ? edit.start.character + lastInserted : lastInserted;
  return {
    line: range.line + lineDelta,
    character: insertedEnd + (range.character - edit.end.character),
    length: range.length,
  };
}

function compare(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}
