import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** What a run did to one mapping, with what the mapping held: enough to put it back. */
export interface JournalMapping {
  originIp: string;
  vendor: string;
  region: string;
  /** `possiblyDeleted`: an attempt got no answer and the IP was gone afterwards. */
  state: 'deleted' | 'possiblyDeleted' | 'restored';
}

export interface JournalRunStart {
  runId: string;
  action: 'delete' | 'restore';
  zoneId: string;
  zoneName: string;
  at: string;
  /** For a restore: the run whose deletions it puts back. For a delete: the restore it undoes. */
  undoes?: string;
}

/** A run as read back from the journal. */
export interface JournalRun extends JournalRunStart {
  mappings: JournalMapping[];
  /** The runs that undid this one (an undo that changed nothing is not counted), newest last. */
  undoneBy: string[];
  /** Its distinct IPs that none of those runs put back (or deleted again): 0 when fully undone. */
  notUndone: number;
}

type Line =
  ({ type: 'run' } & JournalRunStart) | ({ type: 'mapping'; runId: string } & JournalMapping);

/**
 * An append-only record of every mapping the extension deleted or restored, one JSON object per
 * line. Each write is flushed to disk before the run reports it, so a crash loses nothing that
 * was deleted; a line torn by a crash is skipped on reading.
 */
export class Journal {
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  /** Starts a run and returns its id. */
  async startRun(start: Omit<JournalRunStart, 'runId' | 'at'>, at = new Date()): Promise<string> {
    const runId = randomUUID();
    await this.append([{ type: 'run', runId, at: at.toISOString(), ...start }]);
    return runId;
  }

  /** Records mappings of a run; resolves once they are on disk. */
  async record(runId: string, mappings: readonly JournalMapping[]): Promise<void> {
    if (mappings.length === 0) return;
    await this.append(mappings.map((mapping) => ({ type: 'mapping', runId, ...mapping })));
  }

  /** Every run with its mappings, oldest first, and how many lines could not be read. */
  async read(): Promise<{ runs: JournalRun[]; unreadableLines: number }> {
    await this.writing;
    return this.readNow();
  }

  /** Reads the file as it is, without waiting for queued writes: for use inside the queue. */
  private async readNow(): Promise<{ runs: JournalRun[]; unreadableLines: number }> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return { runs: [], unreadableLines: 0 };
      throw error;
    }
    return parseJournal(text);
  }

  /** Removes runs older than `retentionDays`, rewriting the file atomically. Returns how many went. */
  async prune(retentionDays: number, now = new Date()): Promise<number> {
    // Read and rewrite in one turn of the queue, so no line this window writes meanwhile is lost.
    // Limitation: a line another VS Code window appends between the read and the rename is lost;
    // pruning runs once per session, before this window's first run.
    let removed = 0;
    await this.enqueue(async () => {
      const { runs } = await this.readNow();
      const cutoff = now.getTime() - retentionDays * 24 * 60 * 60 * 1000;
      const kept = runs.filter((run) => Date.parse(run.at) >= cutoff);
      removed = runs.length - kept.length;
      if (removed === 0) return;

      const lines = kept.flatMap((run): Line[] => {
        const { mappings, undoneBy: _undoneBy, notUndone: _notUndone, ...start } = run;
        return [
          { type: 'run', ...start },
          ...mappings.map((mapping): Line => ({ type: 'mapping', runId: run.runId, ...mapping })),
        ];
      });
      const temporary = `${this.file}.${process.pid}.tmp`;
      await writeFlushed(temporary, serialise(lines), 'w');
      await fs.rename(temporary, this.file);
      await syncDirectory(path.dirname(this.file));
    });
    return removed;
  }

  private append(lines: Line[]): Promise<void> {
    return this.enqueue(async () => {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      const started = await writeFlushed(this.file, serialise(lines), 'a');
      // A new file's name lives in its folder: flush that too, or a crash may lose the file.
      if (started) await syncDirectory(path.dirname(this.file));
    });
  }

  /** Writes happen one after another, so lines of concurrent batches never interleave. */
  private enqueue(write: () => Promise<void>): Promise<void> {
    const done = this.writing.then(write);
    this.writing = done.catch(() => undefined);
    return done;
  }
}

function serialise(lines: Line[]): string {
  return lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
}

/** Writes and flushes `text`; true when the file was empty (new) before. */
async function writeFlushed(file: string, text: string, flags: 'a' | 'w'): Promise<boolean> {
  const handle = await fs.open(file, flags === 'a' ? 'a+' : 'w');
  try {
    const { size } = await handle.stat();
    // A torn line from an earlier crash has no newline; start on a fresh line after it.
    if (flags === 'a' && size > 0 && (await lastByte(handle, size)) !== 0x0a) text = `\n${text}`;
    await handle.writeFile(text, 'utf8');
    await handle.datasync();
    return size === 0;
  } finally {
    await handle.close();
  }
}

async function lastByte(handle: fs.FileHandle, size: number): Promise<number> {
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0];
}

/** Reads journal text, skipping lines that are torn or not ours. */
export function parseJournal(text: string): { runs: JournalRun[]; unreadableLines: number } {
  const runs = new Map<string, JournalRun>();
  let unreadableLines = 0;
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      unreadableLines++;
      continue;
    }
    if (line.type === 'run' && typeof line.runId === 'string') {
      const { type: _type, ...start } = line;
      runs.set(line.runId, { ...start, mappings: [], undoneBy: [], notUndone: 0 });
    } else if (line.type === 'mapping' && runs.has(line.runId)) {
      const { originIp, vendor, region, state } = line;
      runs.get(line.runId)!.mappings.push({ originIp, vendor, region, state });
    } else {
      unreadableLines++;
    }
  }
  // An undo that changed nothing (cancelled, or every batch failed) has not undone anything;
  // one that stopped half-way (a zone full again, say) leaves the rest of its run to undo.
  const undoneIps = new Map<string, Set<string>>();
  for (const run of runs.values()) {
    const target = run.undoes ? runs.get(run.undoes) : undefined;
    if (!target || run.mappings.length === 0) continue;
    target.undoneBy.push(run.runId);
    const ips = undoneIps.get(target.runId) ?? new Set<string>();
    for (const mapping of run.mappings) ips.add(mapping.originIp);
    undoneIps.set(target.runId, ips);
  }
  for (const run of runs.values()) {
    const undone = undoneIps.get(run.runId);
    const ips = new Set(run.mappings.map((mapping) => mapping.originIp));
    run.notUndone = [...ips].filter((originIp) => !undone?.has(originIp)).length;
  }
  return { runs: [...runs.values()], unreadableLines };
}

/** Flushes a folder's entries to disk where the system allows it (not on Windows). */
async function syncDirectory(folder: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(folder, 'r');
    await handle.sync();
  } catch {
    // Folders cannot be opened for syncing on every platform; the file itself is flushed.
  } finally {
    await handle?.close();
  }
}
