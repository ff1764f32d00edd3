/** A table of already formatted cells. */
export interface Table {
  columns: string[];
  rows: string[][];
}

/** Figures (numbers with an optional unit) align right, words align left. */
function isFigureColumn(table: Table, index: number): boolean {
  const cells = table.rows.map((row) => row[index] ?? '').filter((cell) => cell !== '');
  return cells.length > 0 && cells.every((cell) => /^[\d.,+×/ ]+( ?(ms|KB|MiB|%))?$/.test(cell));
}

/** Columns padded for a terminal: words left-aligned, figures right-aligned. */
export function renderText(table: Table): string {
  const widths = table.columns.map((column, index) =>
    Math.max(column.length, ...table.rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, index) =>
        index === 0 ? cell.padEnd(widths[index]) : cell.padStart(widths[index]),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(table.columns), rule, ...table.rows.map(line)].join('\n');
}

export function renderMarkdown(table: Table): string {
  const line = (cells: string[]) =>
    `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
  const rule = `| ${table.columns.map((_, index) => (isFigureColumn(table, index) ? '---:' : '---')).join(' | ')} |`;
  return [line(table.columns), rule, ...table.rows.map(line)].join('\n');
}
