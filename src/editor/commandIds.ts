/** The commands, as contributed in package.json under `cloudflareOriginRegions.`. */
export const COMMAND_IDS = [
  'deleteSelected',
  'previewSelected',
  'restoreDeleted',
  'retryFailed',
  'showMappings',
  'exportReport',
  'setCredentials',
  'clearCredentials',
  'clearResults',
  'showLog',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
