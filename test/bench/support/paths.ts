import { mkdirSync } from 'node:fs';
import * as path from 'node:path';

/** The repository root: this file runs from out/test/bench/support/. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** Where results and scratch files go; git ignores it. */
export const BENCH_DIR = path.join(REPO_ROOT, '.bench');

/** The compiled form of a bench file, given relative to test/bench/ without extension. */
export function compiledBenchFile(name: string): string {
  return path.join(REPO_ROOT, 'out', 'test', 'bench', `${name}.js`);
}

export function benchPath(file: string): string {
  mkdirSync(BENCH_DIR, { recursive: true });
  return path.join(BENCH_DIR, file);
}
