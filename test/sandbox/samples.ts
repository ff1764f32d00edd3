import { canonicalOriginIp } from './ip';
import { SUPPORTED_REGIONS, VENDORS } from './regions';
import type { MappingInput } from './state';

// Addresses from the ranges reserved for documentation (RFC 5737, RFC 3849), then from the
// benchmarking range (RFC 2544) once those run out: realistic, and never someone's origin.
const IPV4_DOCUMENTATION_PREFIXES = ['192.0.2', '198.51.100', '203.0.113'];
const HOSTS_PER_PREFIX = 254;

/**
 * `count` distinct, valid mappings, the same every call: two IPv4 for every IPv6, vendors in
 * turn, each with one of its real regions. `offset` continues a previous series.
 */
export function sampleMappings(count: number, offset = 0): MappingInput[] {
  const mappings: MappingInput[] = [];
  for (let index = offset; index < offset + count; index += 1) {
    const vendor = VENDORS[index % VENDORS.length];
    const regions = SUPPORTED_REGIONS[vendor];
    const region = regions[Math.floor(index / VENDORS.length) % regions.length].name;
    mappings.push({ originIp: sampleIp(index), vendor, region });
  }
  return mappings;
}

function sampleIp(index: number): string {
  const series = Math.floor(index / 3);
  const text =
    index % 3 === 2 ? `2001:db8:${series.toString(16)}::10` : sampleIpv4(series * 2 + (index % 3));
  return canonicalOriginIp(text) ?? text;
}

function sampleIpv4(n: number): string {
  const documentationHosts = IPV4_DOCUMENTATION_PREFIXES.length * HOSTS_PER_PREFIX;
  if (n < documentationHosts) {
    const prefix = IPV4_DOCUMENTATION_PREFIXES[Math.floor(n / HOSTS_PER_PREFIX)];
    return `${prefix}.${(n % HOSTS_PER_PREFIX) + 1}`;
  }

  // 198.18.0.0/15 holds 131,072 addresses, far more than a zone's 3,500 mappings.
  const rest = n - documentationHosts;
  return `198.${18 + Math.floor(rest / 65536)}.${Math.floor(rest / 256) % 256}.${rest % 256}`;
}
