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
 * read as part of a longer token, so a result shown on it would be stale. Text that meets it
 * with a separator (Enter and its indentation, a space, a comma) changes neither.
 */
export function followEdit(range: TextRange, edit: TextEdit): TextRange | undefined {
  const start = { line: range.line, character: range.character };
  const end = { line: range.line, character: range.character + range.length };

  const afterEnd = compare(edit.start, end);
  if (afterEnd > 0 || (afterEnd === 0 && isSeparator(edit.text.charAt(0)))) return range;
  const beforeStart = compare(edit.end, start);
  const leavesSeparator =
    isSeparator(edit.text.charAt(edit.text.length - 1)) ||
    (edit.text === '' && edit.start.character === 0);
  if (beforeStart > 0 || (beforeStart === 0 && !leavesSeparator)) return undefined;

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

/** What the IP scanner reads as part of a token; anything else, a line break too, separates. */
const TOKEN_CHARACTER = /[0-9A-Za-z_.:%-]/;

function isSeparator(char: string): boolean {
  return char !== '' && !TOKEN_CHARACTER.test(char);
}

function compare(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}
