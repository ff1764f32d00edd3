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
 * when the edit touches the range or stands right against it: its text changed, or may now
 * read as part of a longer token, so a result shown on it would be stale. A line break typed
 * right before or after it changes neither.
 */
export function followEdit(range: TextRange, edit: TextEdit): TextRange | undefined {
  const start = { line: range.line, character: range.character };
  const end = { line: range.line, character: range.character + range.length };

  const afterEnd = compare(edit.start, end);
  if (afterEnd > 0 || (afterEnd === 0 && LEADING_BREAK.test(edit.text))) return range;
  const beforeStart = compare(edit.end, start);
  const leavesLineStart =
    TRAILING_BREAK.test(edit.text) || (edit.text === '' && edit.start.character === 0);
  if (beforeStart > 0 || (beforeStart === 0 && !leavesLineStart)) return undefined;

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

const LEADING_BREAK = /^[\r\n]/;
const TRAILING_BREAK = /[\r\n]$/;

function compare(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}
