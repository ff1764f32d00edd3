import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
const VSIX = path.join(ROOT, 'cloudflare-origin-regions.vsix');

/** Names of the entries of a zip file, read from its central directory. */
function zipEntries(zip: Buffer): string[] {
  const endOfDirectory = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(endOfDirectory >= 0, 'not a zip file');
  const count = zip.readUInt16LE(endOfDirectory + 10);
  let offset = zip.readUInt32LE(endOfDirectory + 16);
  const names: string[] = [];
  for (let index = 0; index < count; index++) {
    assert.equal(zip.readUInt32LE(offset), 0x02014b50, 'damaged central directory');
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

describe('the packaged .vsix', () => {
  const entries = zipEntries(readFileSync(VSIX));
  const files = entries.filter((name) => name.startsWith('extension/'));

  it('was packaged by vsce without a warning', function () {
    // test:package keeps vsce's output here; a .vsix built by hand has none to read.
    const log = path.join(ROOT, '.cache', 'package.log');
    if (!existsSync(log)) this.skip();
    const output = readFileSync(log, 'utf8');
    assert.match(output, /DONE {2}Packaged: /);
    assert.doesNotMatch(output, /WARNING/, output);
  });

  it('holds the bundle, the manifest and the documents', () => {
    for (const required of [
      'extension/package.json',
      'extension/package.nls.json',
      'extension/dist/extension.js',
      'extension/dist/commands.js',
      'extension/dist/network.js',
      'extension/readme.md',
      'extension/changelog.md',
      'extension/LICENSE.txt',
    ]) {
      assert.ok(
        files.some((name) => name.toLowerCase() === required.toLowerCase()),
        `${required} is missing from ${files.join(', ')}`,
      );
    }
  });

  it('holds the icon, every walkthrough picture and every picture the README shows', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const walkthroughMedia = (
      manifest.contributes.walkthroughs as {
        steps: { media: { image?: string; markdown?: string } }[];
      }[]
    )
      .flatMap((walkthrough) => walkthrough.steps)
      .flatMap(({ media }) => [media.image ?? media.markdown ?? 'no picture or page']);
    const readmeImages = [
      ...readFileSync(path.join(ROOT, 'README.md'), 'utf8').matchAll(/!\[[^\]]*\]\(([^)]+)\)/g),
    ].map((match) => match[1]);
    assert.ok(walkthroughMedia.length >= 4 && readmeImages.length >= 3);
    for (const file of [manifest.icon as string, ...walkthroughMedia, ...readmeImages]) {
      assert.ok(files.includes(`extension/${file}`), `${file} is in the .vsix`);
    }
  });

  it('ships no sources, tests, source maps, sandbox or node_modules', () => {
    const unwanted = files.filter((name) =>
      /\.ts$|\.map$|\/src\/|\/test\/|\/out\/|sandbox|node_modules|\.vscode\/|tsconfig|esbuild/.test(
        name,
      ),
    );
    assert.deepEqual(unwanted, []);
  });

  it('ships only what is listed on purpose', () => {
    const allowed =
      /^extension\/(package\.json|package\.nls\.json|l10n\/bundle\.l10n\.json|dist\/(extension|commands|network)\.js|readme\.md|changelog\.md|LICENSE\.txt|media\/([\w.-]+\.png|walkthrough\/[\w.-]+\.md))$/i;
    assert.deepEqual(
      files.filter((name) => !allowed.test(name)),
      [],
    );
  });
});

describe('the bundle', () => {
  const dist = path.join(__dirname, '..', '..', '..', 'dist');

  it('keeps undici, ipaddr.js and the commands out of the code that runs at activation', () => {
    const extension = readFileSync(path.join(dist, 'extension.js'), 'utf8');
    assert.ok(!/UND_ERR|undici/i.test(extension), 'dist/extension.js must not contain undici');
    assert.ok(!/ipv4-mapped|isValidFourPartDecimal/i.test(extension), 'nor ipaddr.js');
    assert.match(extension, /require\("\.\/commands\.js"\)/);
    const commands = readFileSync(path.join(dist, 'commands.js'), 'utf8');
    assert.match(commands, /require\("\.\/network\.js"\)/);
  });

  it('puts undici and the client in dist/network.js, minified', () => {
    const network = readFileSync(path.join(dist, 'network.js'), 'utf8');
    assert.match(network, /UND_ERR_HEADERS_TIMEOUT/);
    assert.ok(network.split('\n').length < 50, 'minified for release');
  });
});

describe('the manifest', () => {
  const root = path.join(__dirname, '..', '..', '..');
  const manifest = readFileSync(path.join(root, 'package.json'), 'utf8');
  const strings = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8'));

  it('takes every title and description from package.nls.json, and each one exists', () => {
    const keys = [...manifest.matchAll(/"%([^%"]+)%"/g)].map((match) => match[1]);
    assert.ok(keys.length > 40);
    assert.deepEqual(
      keys.filter((key) => typeof strings[key] !== 'string'),
      [],
    );
    const { contributes } = JSON.parse(manifest);
    for (const command of contributes.commands) assert.match(command.title, /^%.+%$/);
    for (const setting of Object.values(contributes.configuration.properties) as {
      markdownDescription: string;
    }[]) {
      assert.match(setting.markdownDescription, /^%.+%$/);
    }
  });
});
