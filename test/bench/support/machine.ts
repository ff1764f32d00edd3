import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import { REPO_ROOT } from './paths';

/** What a figure was measured on: ratios travel between machines, absolute times do not. */
export interface Machine {
  node: string;
  cpu: string;
  cores: number;
  platform: string;
  memoryGiB: number;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpu: cpus[0]?.model.trim() || 'unknown CPU',
    cores: cpus.length,
    platform: `${os.platform()} ${os.arch()}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  };
}

export function machineLine(machine: Machine): string {
  return `Node ${machine.node}, ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.platform}`;
}

/** The commit measured, and whether the working tree differed from it. */
export function sourceRevision(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const commit = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain') === '' ? commit : `${commit} with uncommitted changes`;
  } catch {
    return 'unknown revision';
  }
}
