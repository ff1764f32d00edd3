import { readdirSync, readFileSync } from 'node:fs';

/** The command lines of every process that names `text`, read from /proc (Linux). */
export function processesNaming(text: string): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
        return command.includes(text) ? [`${pid}: ${command.slice(0, 120)}`] : [];
      } catch {
        return []; // Ended meanwhile.
      }
    });
}
