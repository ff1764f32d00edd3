import { fork, type ChildProcess } from 'node:child_process';
import type { SandboxAddress, SandboxCommand, SandboxStats } from '../sandboxProcess';
import { compiledBenchFile } from './paths';

type CommandWithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** The sandbox running in a child process (see ../sandboxProcess.ts), and how to drive it. */
export class SandboxChild implements SandboxAddress {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (result: unknown) => void; reject: (error: Error) => void }
  >();

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly zoneId: string,
    readonly token: string,
  ) {
    child.on('message', (message: { id: number; result: unknown }) => {
      this.pending.get(message.id)?.resolve(message.result);
      this.pending.delete(message.id);
    });
    // A sandbox that dies must fail the figure, not leave it waiting for ever.
    child.on('exit', (code) => {
      for (const { reject } of this.pending.values()) {
        reject(new Error(`The sandbox process exited with ${code} before answering`));
      }
      this.pending.clear();
    });
  }

  static async start(latencyMs: number): Promise<SandboxChild> {
    const child = fork(compiledBenchFile('sandboxProcess'), [], {
      env: { ...process.env, SANDBOX_LATENCY_MS: String(latencyMs) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const address = await new Promise<SandboxAddress>((resolve, reject) => {
      child.once('message', (message: { ready: SandboxAddress }) => resolve(message.ready));
      child.once('exit', (code) => reject(new Error(`The sandbox process exited with ${code}`)));
    });
    return new SandboxChild(child, address.url, address.zoneId, address.token);
  }

  /** Empties the sandbox and fills the zone with `count` sample mappings; returns their IPs. */
  fill(count: number): Promise<string[]> {
    return this.send({ kind: 'fill', count }) as Promise<string[]>;
  }

  /** Empties the sandbox and keeps the zone topped up from `originIps`, in order. */
  async feed(originIps: string[]): Promise<void> {
    await this.send({ kind: 'feed', originIps });
  }

  stats(): Promise<SandboxStats> {
    return this.send({ kind: 'stats' }) as Promise<SandboxStats>;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    await exited;
  }

  private send(command: CommandWithoutId<SandboxCommand>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ ...command, id });
    });
  }
}
