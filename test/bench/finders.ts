// The two ways of finding IPs that figure 1 compares, shared with its fresh-process probe.
import * as ipaddr from 'ipaddr.js';
import { extractIps } from '../../src/core/ip/extract';

/** A way of finding the distinct IPs of a text, each in canonical form. */
export interface Finder {
  name: string;
  find(text: string): string[];
}

type IpRegex = typeof import('ip-regex', { with: { 'resolution-mode': 'import' } }).default;

export const ours: Finder = {
  name: 'extractIps (ours)',
  find: (text) => extractIps([{ text, line: 0, character: 0 }]).ips.map((ip) => ip.originIp),
};

/** The script writer's way: ip-regex finds candidates, ipaddr.js canonicalises, a Set dedupes. */
export async function scriptWriters(): Promise<Finder> {
  // ip-regex is published as an ES module only.
  const { default: ipRegex }: { default: IpRegex } = await import('ip-regex');
  return {
    name: 'ip-regex + ipaddr.js',
    find(text) {
      const found = new Set<string>();
      for (const candidate of text.match(ipRegex()) ?? []) {
        try {
          found.add(ipaddr.parse(candidate).toString());
        } catch {
          // A candidate the parser refuses is simply not an IP to this script.
        }
      }
      return [...found];
    },
  };
}
