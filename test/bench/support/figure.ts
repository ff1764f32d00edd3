import { writeFileSync } from 'node:fs';
import { machineLine, type Machine } from './machine';
import { benchPath } from './paths';
import { renderMarkdown, renderText, type Table } from './table';

/** A target the figure is held to, and whether this run met it. */
export interface Goal {
  goal: string;
  measured: string;
  met: boolean;
}

/** One of the bench's tables, with what it is held to and how to read it. */
export interface Figure {
  /** The JSON file's name under .bench/, without extension. */
  name: string;
  title: string;
  table: Table;
  goals: Goal[];
  /** How the figure was measured, in a sentence or two each. */
  notes: string[];
  /** The raw measurements, for the JSON file. */
  data: unknown;
}

/** A figure as run.ts records it: with how busy the machine was meanwhile. */
export interface RecordedFigure extends Figure {
  /**
   * The 1-minute load average before and after the figure was measured: on a 2-core machine
   * any other work shows up in the times.
   */
  loadAverage: [number, number];
}

/** Where and how a run was made: every table is headed with it. */
export interface RunContext {
  machine: Machine;
  command: string;
  revision: string;
  startedAt: string;
}

export function goalsTable(goals: readonly Goal[]): Table {
  return {
    columns: ['Goal', 'Measured', 'Result'],
    rows: goals.map((goal) => [goal.goal, goal.measured, goal.met ? 'PASS' : 'MISS']),
  };
}

export function printFigure(figure: RecordedFigure, context: RunContext): void {
  const heading = `${figure.title}\n${machineLine(context.machine)}; ${loadNote(figure)}`;
  const parts = [heading, renderText(figure.table)];
  if (figure.goals.length > 0) parts.push(renderText(goalsTable(figure.goals)));
  if (figure.notes.length > 0) parts.push(figure.notes.map((note) => `* ${note}`).join('\n'));
  console.log(`\n${parts.join('\n\n')}\n`);
}

/** How busy the machine was while the figure was measured, as the figure recorded it. */
function loadNote(figure: RecordedFigure): string {
  const [start, end] = figure.loadAverage;
  return `1-minute load average ${start.toFixed(1)} before, ${end.toFixed(1)} after`;
}

export function writeFigure(figure: RecordedFigure, context: RunContext): string {
  const file = benchPath(`${figure.name}.json`);
  const { name: _name, ...content } = figure;
  writeFileSync(file, `${JSON.stringify({ ...context, ...content }, null, 2)}\n`);
  return file;
}

/** All figures as one markdown section, ready for the README's "Performance". */
export function figuresMarkdown(figures: readonly RecordedFigure[], context: RunContext): string {
  const lines = [
    `Measured with \`${context.command}\` on ${context.startedAt.slice(0, 10)} (${context.revision}).`,
    `Machine: ${machineLine(context.machine)}. These machines are noisy: compare ratios measured`,
    'in the same run rather than absolute times across runs.',
    '',
  ];
  for (const figure of figures) {
    lines.push(
      `#### ${figure.title}`,
      '',
      `(${loadNote(figure)})`,
      '',
      renderMarkdown(figure.table),
      '',
    );
    if (figure.goals.length > 0) lines.push(renderMarkdown(goalsTable(figure.goals)), '');
    for (const note of figure.notes) lines.push(`- ${note}`);
    if (figure.notes.length > 0) lines.push('');
  }
  return lines.join('\n');
}
