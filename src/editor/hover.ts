import * as vscode from 'vscode';
import { extractIps } from '../core/ip/extract';
import type { Services } from './services';

/** Reading around the pointer only, so a hover over a 10 MB line stays instant. */
const WINDOW = 64;

/** Hovering an IP shows its known mapping in each zone and the last outcome for it. */
export class IpHover implements vscode.HoverProvider {
  constructor(private readonly services: Services) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const placed = this.services.results
      .placedIn(document.uri)
      .find(
        ({ range }) =>
          range.line === position.line &&
          position.character >= range.character &&
          position.character <= range.character + range.length,
      );
    const found = placed?.originIp ? undefined : this.ipAt(document, position);
    const originIp = placed?.originIp ?? found?.originIp;
    const known = originIp ? this.services.knownMappings.lookup(originIp) : [];
    if (!placed && known.length === 0) return undefined;

    const text = new vscode.MarkdownString();
    text.appendMarkdown(`**${originIp ?? vscode.l10n.t('Not an IP')}**\n\n`);
    for (const { mapping, zone, readAt } of known) {
      const line = vscode.l10n.t(
        '{0}: mapped to **{1} {2}** (read {3})',
        zone.name,
        mapping.vendor,
        mapping.region,
        readAt.toLocaleTimeString(),
      );
      text.appendMarkdown(`- ${line}\n`);
    }
    if (placed) {
      text.appendMarkdown(`- ${vscode.l10n.t('Last outcome: {0}', placed.message)}\n`);
    }
    const range = placed?.range ?? found?.range;
    return new vscode.Hover(
      text,
      range &&
        new vscode.Range(range.line, range.character, range.line, range.character + range.length),
    );
  }

  private ipAt(document: vscode.TextDocument, position: vscode.Position) {
    if (this.services.knownMappings.size === 0) return undefined;
    const line = document.lineAt(position.line).text;
    const start = Math.max(0, position.character - WINDOW);
    const [hit] = extractIps([
      {
        text: line.slice(start, position.character + WINDOW),
        line: position.line,
        character: start,
      },
    ])
      .ips.flatMap((ip) => ip.occurrences.map((range) => ({ originIp: ip.originIp, range })))
      .filter(
        ({ range }) =>
          position.character >= range.character &&
          position.character <= range.character + range.length,
      );
    return hit;
  }
}
