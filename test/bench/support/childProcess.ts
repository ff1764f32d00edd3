import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Runs a compiled bench script in a fresh Node process, so nothing this process has loaded
 * or warmed up counts, and returns the JSON the script prints as its last line.
 */
export async function runFresh<T>(
  script: string,
  options: { nodeArgs?: string[]; args?: string[]; env?: Record<string, string> } = {},
): Promise<T> {
  const { stdout } = await execFileAsync(
    process.execPath,
    [...(options.nodeArgs ?? []), script, ...(options.args ?? [])],
    { env: { ...process.env, ...options.env }, maxBuffer: 16 * 2 ** 20 },
  );
  const lastLine = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(lastLine) as T;
}

/** Runs the script `runs` times one after another, each in a fresh process. */
export async function runFreshRepeatedly<T>(
  runs: number,
  script: string,
  options: Parameters<typeof runFresh>[1] = {},
): Promise<T[]> {
  const results: T[] = [];
  for (let run = 0; run < runs; run++) results.push(await runFresh<T>(script, options));
  return results;
}
