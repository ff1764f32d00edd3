// Bundles the extension into dist/. Three entry points keep activation cheap: dist/extension.js
// wires things up, dist/commands.js (every command, the IP extractor) is required by the first
// command, and dist/network.js (undici, the Cloudflare client, the batch run) by the first
// request to Cloudflare. network.js holds its own copy of the extractor, which reads the IPs of
// Cloudflare's answers; a few kilobytes beside undici.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints build results in the shape of VS Code's `$esbuild-watch` problem matcher. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

async function main() {
  const context = await esbuild.context({
    entryPoints: {
      extension: 'src/extension.ts',
      commands: 'src/editor/commandTable.ts',
      network: 'src/core/network.ts',
    },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    outdir: 'dist',
    external: ['vscode', './network.js', './commands.js'],
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'silent',
    plugins: [problemMatcher],
  });
  if (watch) {
    await context.watch();
    return;
  }
  await context.rebuild();
  await context.dispose();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
