import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './codeServer';

/** User settings that keep the workbench quiet and offline during tests. */
export const QUIET_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'workbench.enableExperiments': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
};

export interface Profile {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  logFile: string;
}

/** A fresh user-data folder, extensions folder and workspace (a copy of the fixtures). */
export function freshProfile(settings: Record<string, unknown> = {}): Profile {
  const root = mkdtempSync(path.join(tmpdir(), 'cfor-host-'));
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  const workspace = path.join(root, 'workspace');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2),
  );
  cpSync(path.join(REPO_ROOT, 'test', 'host', 'fixtures', 'workspace'), workspace, {
    recursive: true,
  });
  return {
    root,
    userDataDir,
    extensionsDir,
    workspace,
    logFile: path.join(root, 'code-server.log'),
  };
}
