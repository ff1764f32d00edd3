import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { Profile } from './profile';

/** The code-server release the suites run in; it contains VS Code 1.139.1. */
export const CODE_SERVER_VERSION = '4.139.1';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const CACHE = path.join(REPO_ROOT, '.cache', `code-server-${CODE_SERVER_VERSION}`);
const PACKAGE = path.join(CACHE, 'node_modules', 'code-server');
const DONE_MARKER = path.join(CACHE, 'installed');

/**
 * Installs code-server into an ignored cache folder on first use, as @vscode/test-electron
 * caches VS Code. Its own install script would fetch and compile the kerberos addon, which
 * fails offline, so the script's steps are done here without it. Returns the launcher's path.
 */
export function ensureCodeServer(log: (line: string) => void = console.log): string {
  const launcher = path.join(CACHE, 'node_modules', '.bin', 'code-server');
  if (existsSync(DONE_MARKER)) return launcher;

  log(`Installing code-server ${CODE_SERVER_VERSION} into ${CACHE} (once; about a minute)`);
  rmSync(CACHE, { recursive: true, force: true });
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(path.join(CACHE, 'package.json'), '{ "private": true }\n');
  const npm = (cwd: string, args: string[]) =>
    execFileSync('npm', [...args, '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd,
      env: nodeFirstOnPath(),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  npm(CACHE, ['install', `code-server@${CODE_SERVER_VERSION}`]);
  npm(path.join(PACKAGE, 'lib', 'vscode'), ['install', '--omit=dev']);
  npm(path.join(PACKAGE, 'lib', 'vscode', 'extensions'), ['install', '--omit=dev']);
  relink(path.join(PACKAGE, 'lib', 'vscode', 'bin', 'remote-cli'), 'code-linux.sh', 'code-server');
  relink(path.join(PACKAGE, 'lib', 'vscode', 'bin', 'helpers'), 'browser-linux.sh', 'browser.sh');
  rebuildLogger(log);
  writeFileSync(DONE_MARKER, `${new Date().toISOString()}\n`);
  return launcher;
}

/**
 * Builds the native logger against this Node's headers. Optional: without it the host still
 * works, but prints a missing-bindings error at every start. `~/.npmrc` may point node-gyp at
 * another Node's headers, so the right ones are named here.
 */
function rebuildLogger(log: (line: string) => void): void {
  const execDir = path.dirname(process.execPath);
  const nodeDir = [
    path.resolve(execDir, '..'),
    path.resolve(execDir, '..', 'node_modules', `node-${process.platform}-${process.arch}`),
  ].find((candidate) => existsSync(path.join(candidate, 'include', 'node', 'node.h')));
  if (!nodeDir) return log('No Node headers found; skipping the optional rebuild of spdlog.');
  try {
    execFileSync('npm', ['rebuild', '@vscode/spdlog', '@vscode/native-watchdog'], {
      cwd: path.join(PACKAGE, 'lib', 'vscode'),
      env: nodeFirstOnPath({ npm_config_nodedir: nodeDir }),
      stdio: ['ignore', 'ignore', 'ignore'],
    });
  } catch {
    log('The optional rebuild of spdlog failed; the host works without it.');
  }
}

function relink(folder: string, target: string, name: string): void {
  rmSync(path.join(folder, name), { force: true });
  symlinkSync(target, path.join(folder, name));
}

/** The environment with this process's Node first on PATH: code-server runs whichever is first. */
export function nodeFirstOnPath(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
    ...extra,
  };
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface CodeServerOptions {
  launcher: string;
  /** The folders code-server keeps its state in, the workspace it opens and its log file. */
  profile: Omit<Profile, 'root'>;
  env?: Record<string, string>;
  /** Accept the smoke-test payload (extensionTestsPath) in the URL. */
  testDriver?: boolean;
  /** Hears how to stop code-server as soon as it is spawned, before it answers. */
  onSpawned?: (stop: () => Promise<void>) => void;
}

export interface RunningCodeServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts code-server on a free loopback port in its own process group, and waits until it answers. */
export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const { profile } = options;
  const port = await freePort();
  const config = path.join(profile.userDataDir, 'code-server.yaml');
  mkdirSync(profile.userDataDir, { recursive: true });
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    '--config',
    config,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir',
    profile.userDataDir,
    '--extensions-dir',
    profile.extensionsDir,
    ...(options.testDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    profile.workspace,
  ];
  const logStream = createWriteStream(profile.logFile);
  const child = spawn(options.launcher, args, {
    env: nodeFirstOnPath(options.env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(logStream);
  child.stderr?.pipe(logStream);
  options.onSpawned?.(() => stopGroup(child));

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilHealthy(url, child);
  } catch (error) {
    await stopGroup(child);
    throw error;
  }
  return { url, port, stop: () => stopGroup(child) };
}

async function waitUntilHealthy(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      const answer = await fetch(`${url}/healthz`);
      if (answer.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('code-server did not answer /healthz within 60 s');
}

/** Ends code-server and everything it started (extension host, watchers): the whole group. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  signalGroup('SIGKILL');
}
