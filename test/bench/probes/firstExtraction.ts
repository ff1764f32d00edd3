// Run by figure 1 in a fresh process: the first call of a finder, before any JIT warm-up, as
// when the first selection of a session is read. Prints {"ms": ...}.
import { readFileSync } from 'node:fs';
import { ours, scriptWriters } from '../finders';

async function main(): Promise<void> {
  const [finderName, inputFile] = process.argv.slice(2);
  const finder = finderName === 'peer' ? await scriptWriters() : ours;
  const text = readFileSync(inputFile, 'utf8');

  const started = performance.now();
  finder.find(text);
  console.log(JSON.stringify({ ms: performance.now() - started }));
}

void main();
