// `npm run icon`: renders media/icon.svg to the 128×128 media/icon.png the Marketplace shows,
// with the same headless Chromium the tests use.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { launchChromium } from '../test/host/runner/browser';
import { REPO_ROOT } from '../test/host/runner/codeServer';

async function main(): Promise<void> {
  const svg = readFileSync(path.join(REPO_ROOT, 'media', 'icon.svg'), 'utf8');
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
    await page.setContent(`<body style="margin:0;background:transparent">${svg}</body>`);
    await page
      .locator('svg')
      .screenshot({ path: path.join(REPO_ROOT, 'media', 'icon.png'), omitBackground: true });
  } finally {
    await browser.close();
  }
}

void main();
