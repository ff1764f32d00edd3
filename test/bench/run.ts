// `npm run bench`: the four performance figures of the extension, printed as tables and written
// to .bench/ as JSON, then all of them as markdown for the README's "Performance" section.
// `node --expose-gc out/test/bench/run.js find-ips delete` runs only the figures it names.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { measureDeleting } from './deleteMappings';
import { measureFindingIps } from './findIps';
import { measureInstallCost } from './installCost';
import { measureMemory } from './memory';
import {
  figuresMarkdown,
  printFigure,
  writeFigure,
  type Figure,
  type RecordedFigure,
  type RunContext,
} from './support/figure';
import { describeMachine, machineLine, sourceRevision } from './support/machine';
import { benchPath } from './support/paths';

const FIGURES: { name: string; measure: () => Promise<Figure> }[] = [
  { name: 'find-ips', measure: measureFindingIps },
  { name: 'delete', measure: measureDeleting },
  { name: 'install', measure: measureInstallCost },
  { name: 'memory', measure: measureMemory },
];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !FIGURES.some((figure) => figure.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `No figure named ${unknown.join(', ')}; choose from ${FIGURES.map((figure) => figure.name).join(', ')}.`,
    );
  }

  const context: RunContext = {
    machine: describeMachine(),
    command:
      wanted.length > 0
        ? `node${globalThis.gc ? ' --expose-gc' : ''} out/test/bench/run.js ${wanted.join(' ')}`
        : 'npm run bench',
    revision: sourceRevision(),
    startedAt: new Date().toISOString(),
  };
  console.log(`Benchmarks on ${machineLine(context.machine)} (${context.revision})`);
  if (globalThis.gc === undefined) {
    console.log('(without --expose-gc: runs are not preceded by a GC, so times are noisier)');
  }

  const figures: RecordedFigure[] = [];
  for (const { name, measure } of FIGURES) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    const started = performance.now();
    const loadBefore = loadavg()[0];
    const figure: RecordedFigure = {
      ...(await measure()),
      loadAverage: [loadBefore, loadavg()[0]],
    };
    figures.push(figure);
    printFigure(figure, context);
    const file = writeFigure(figure, context);
    console.log(
      `(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s; written to ${file})`,
    );
  }

  // Only a full run replaces results.md, so a partial run never passes for the whole picture.
  const markdown = figuresMarkdown(figures, context);
  const where = wanted.length === 0 ? ' (also in .bench/results.md)' : '';
  if (wanted.length === 0) writeFileSync(benchPath('results.md'), markdown);
  console.log(`\n--- Markdown for the README's "Performance" section${where} ---\n`);
  console.log(markdown);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
