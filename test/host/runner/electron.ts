// `npm run test:electron`: the same host suite in VS Code desktop, through @vscode/test-electron,
// on the oldest VS Code that engines.vscode allows and on stable. It downloads VS Code, so it
// needs internet: it cannot run on machines that reach only package registries, and CI does
// not run it there. On Linux without a display it runs itself again under `xvfb-run -a`.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO_ROOT } from './codeServer';
import { freshProfile } from './profile';
import { startRestartCheck } from './restartCheck';

async function main(): Promise<number> {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.CFOR_UNDER_XVFB) {
    const again = spawnSync('xvfb-run', ['-a', process.execPath, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, CFOR_UNDER_XVFB: '1' },
    });
    if (again.error)
      throw new Error(`xvfb-run is needed on Linux without a display: ${again.error.message}`);
    return again.status ?? 1;
  }

  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const minimum = String(manifest.engines.vscode).replace(/^\^/, '');
  for (const version of [minimum, 'stable']) {
    const profile = freshProfile();
    const restartCheck = await startRestartCheck();
    // Both entries share one profile, so the second host finds the first one's journal.
    const run = (entry: string) =>
      runTests({
        version,
        extensionDevelopmentPath: REPO_ROOT,
        extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'host', entry),
        extensionTestsEnv: { CFOR_HOST_WORKSPACE: profile.workspace, ...restartCheck.env },
        launchArgs: [
          profile.workspace,
          `--user-data-dir=${profile.userDataDir}`,
          `--extensions-dir=${profile.extensionsDir}`,
          '--disable-workspace-trust',
        ],
      });
    try {
      console.log(`Host suite in VS Code ${version}`);
      await run('index.js');
      console.log(`Restarting VS Code ${version}: a second window runs test/host/restart.`);
      await run(path.join('restart', 'index.js'));
      if (restartCheck.verify() !== 0) return 1;
    } catch (error) {
      console.error(`The host suite failed in VS Code ${version}: ${String(error)}`);
      return 1;
    } finally {
      await restartCheck.close();
      rmSync(profile.root, { recursive: true, force: true });
    }
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
