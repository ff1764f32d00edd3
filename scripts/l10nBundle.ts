// `npm run l10n`: writes l10n/bundle.l10n.json, the English strings the glue passes to
// vscode.l10n.t, for translators to start from. `--check` changes nothing and exits 1 when the
// bundle is out of date, so the test script catches a string added without it.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const BUNDLE = path.join(REPO_ROOT, 'l10n', 'bundle.l10n.json');

/** The glue: the only code that talks to the user through VS Code. */
function glueFiles(): string[] {
  const editor = path.join(REPO_ROOT, 'src', 'editor');
  const nested = readdirSync(editor, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => path.join(editor, name));
  return [path.join(REPO_ROOT, 'src', 'extension.ts'), ...nested.sort()];
}

/** True for `l10n.t(...)` and `vscode.l10n.t(...)`. */
function isL10nCall(node: ts.Node): node is ts.CallExpression {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return false;
  const { expression: owner, name } = node.expression;
  if (name.text !== 't') return false;
  return (
    (ts.isIdentifier(owner) && owner.text === 'l10n') ||
    (ts.isPropertyAccessExpression(owner) && owner.name.text === 'l10n')
  );
}

/** The first arguments of every l10n.t call in a file; a non-literal one is a problem. */
function scan(file: string, messages: Set<string>, problems: string[]): void {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const visit = (node: ts.Node): void => {
    if (isL10nCall(node)) {
      const [message] = node.arguments;
      if (message && ts.isStringLiteralLike(message)) {
        messages.add(message.text);
      } else {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        const where = `${path.relative(REPO_ROOT, file)}:${line + 1}`;
        problems.push(`${where}: the first argument of l10n.t must be a plain string literal.`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

function readBundle(): Record<string, string> {
  try {
    return JSON.parse(readFileSync(BUNDLE, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

function main(): void {
  const check = process.argv.includes('--check');
  const messages = new Set<string>();
  const problems: string[] = [];
  for (const file of glueFiles()) scan(file, messages, problems);
  if (problems.length) {
    for (const problem of problems) console.error(problem);
    process.exit(1);
  }

  // Sorted by code unit, not by locale, so every machine writes the same file.
  const keys = [...messages].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const bundle = Object.fromEntries(keys.map((key) => [key, key]));
  const text = `${JSON.stringify(bundle, null, 2)}\n`;
  const relative = path.relative(REPO_ROOT, BUNDLE);

  if (!check) {
    mkdirSync(path.dirname(BUNDLE), { recursive: true });
    writeFileSync(BUNDLE, text);
    console.log(`Wrote ${keys.length} strings to ${relative}.`);
    return;
  }
  let current = '';
  try {
    current = readFileSync(BUNDLE, 'utf8');
  } catch {
    // A missing bundle is reported as out of date, below.
  }
  if (current === text) {
    console.log(`${relative} is up to date: ${keys.length} strings.`);
    return;
  }
  const stored = readBundle();
  const missing = keys.filter((key) => !(key in stored));
  const stale = Object.keys(stored).filter((key) => !messages.has(key));
  console.error(`${relative} is out of date; run \`npm run l10n\`.`);
  for (const key of missing) console.error(`  missing: ${key}`);
  for (const key of stale) console.error(`  no longer used: ${key}`);
  process.exit(1);
}

main();
