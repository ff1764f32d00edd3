// The vendors and regions the sandbox accepts, also served by `supported_regions`.
// Region names are the vendors' real ones. The upper-tier colos are plausible airport codes
// near each region, not Cloudflare's actual routing.

export const VENDORS = ['aws', 'azure', 'gcp', 'oci'] as const;

export type Vendor = (typeof VENDORS)[number];

export interface SupportedRegion {
  name: string;
  upperTierColos: string[];
}

function regions(table: Record<string, string>): SupportedRegion[] {
  return Object.entries(table).map(([name, colos]) => ({ name, upperTierColos: colos.split(' ') }));
}

export const SUPPORTED_REGIONS: Record<Vendor, SupportedRegion[]> = {
  aws: regions({
    'us-east-1': 'IAD',
    'us-east-2': 'CMH',
    'us-west-1': 'SJC',
    'us-west-2': 'PDX SEA',
    'ca-central-1': 'YUL',
    'sa-east-1': 'GRU',
    'eu-west-1': 'DUB',
    'eu-west-2': 'LHR',
    'eu-west-3': 'CDG',
    'eu-central-1': 'FRA',
    'eu-north-1': 'ARN',
    'ap-south-1': 'BOM',
    'ap-southeast-1': 'SIN',
    'ap-southeast-2': 'SYD',
    'ap-northeast-1': 'NRT',
    'ap-northeast-2': 'ICN',
    'ap-northeast-3': 'KIX',
  }),
  azure: regions({
    eastus: 'IAD',
    eastus2: 'IAD',
    centralus: 'ORD',
    westus: 'SJC',
    westus2: 'SEA',
    canadacentral: 'YYZ',
    brazilsouth: 'GRU',
    northeurope: 'DUB',
    westeurope: 'AMS',
    uksouth: 'LHR',
    francecentral: 'CDG',
    germanywestcentral: 'FRA',
    swedencentral: 'ARN',
    centralindia: 'BOM',
    southeastasia: 'SIN',
    japaneast: 'NRT',
    koreacentral: 'ICN',
    australiaeast: 'SYD',
  }),
  gcp: regions({
    'us-central1': 'ORD',
    'us-east1': 'ATL',
    'us-east4': 'IAD',
    'us-west1': 'PDX',
    'us-west2': 'LAX',
    'northamerica-northeast1': 'YUL',
    'southamerica-east1': 'GRU',
    'europe-west1': 'BRU',
    'europe-west2': 'LHR',
    'europe-west3': 'FRA',
    'europe-west4': 'AMS',
    'europe-north1': 'HEL',
    'asia-east1': 'TPE',
    'asia-south1': 'BOM',
    'asia-southeast1': 'SIN',
    'asia-northeast1': 'NRT',
    'australia-southeast1': 'SYD',
  }),
  oci: regions({
    'us-ashburn-1': 'IAD',
    'us-phoenix-1': 'PHX',
    'us-sanjose-1': 'SJC',
    'ca-toronto-1': 'YYZ',
    'sa-saopaulo-1': 'GRU',
    'uk-london-1': 'LHR',
    'eu-frankfurt-1': 'FRA',
    'eu-amsterdam-1': 'AMS',
    'eu-zurich-1': 'ZRH',
    'ap-mumbai-1': 'BOM',
    'ap-singapore-1': 'SIN',
    'ap-tokyo-1': 'NRT',
    'ap-seoul-1': 'ICN',
    'ap-sydney-1': 'SYD',
  }),
};

export function isVendor(value: unknown): value is Vendor {
  return typeof value === 'string' && (VENDORS as readonly string[]).includes(value);
}

export function isSupportedRegion(vendor: Vendor, region: string): boolean {
  return SUPPORTED_REGIONS[vendor].some((supported) => supported.name === region);
}
