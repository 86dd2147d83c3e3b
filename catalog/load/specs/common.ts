import type { ProviderId, Spec } from '../../../drivers/spec/index.ts';
import { ID_SEPARATOR, resourceId } from '../../../drivers/spec/index.ts';

/**
 * Dates for `fetchedAt`: when each dataset was taken, from its SOURCES.md. Rows that carry their own
 * price date (the AWS composite's PriceAsOf) use that instead.
 */
export const FETCHED_AT = {
  /** anycloud-sh/catalog commit 62ff0a98, "Update catalogs 2026-05-20". */
  anycloud: '2026-05-20',
  /**
   * SkyPilot files state no date. The copied files were read from one index snapshot whose newest
   * dated entry is a GCP image created 2026-09-23, so the snapshot is no older than that.
   */
  skypilot: '2026-09-23',
  /** cb-tumblebug assets/cloudspec.csv last changed in af628ad2, 2025-11-06. */
  cloudBaristaCurrent: '2025-11-06',
  /** cb-tumblebug tag v0.11.0, 2025-07-21. */
  cloudBaristaLegacy: '2025-07-21',
  /** The cloudinfo.yaml snapshot (cb-tumblebug 440b798f, 2026-08-22) the OpenStack regions come from. */
  cloudInfo: '2026-08-22',
} as const;

/** Counts what one source read, built and skipped (by reason), for loadSpecsReport(). */
export class SourceTally {
  rowsRead = 0;
  specsBuilt = 0;
  readonly skipped: Record<string, number> = {};
  /** Informational counts that are not drops, e.g. rows expanded to several regions. */
  readonly notes: Record<string, number> = {};
  /** Rows dropped because their region is not an enabled region, by region code. */
  readonly unknownRegions: Record<string, number> = {};

  constructor(
    readonly source: string,
    readonly provider: ProviderId,
    private readonly knownRegions: ReadonlySet<string>,
  ) {}

  /**
   * True when the region is one of loadRegions()'s for this provider; otherwise counts the row as
   * dropped. Loaders call it before building anything, so rows for other regions cost little.
   */
  acceptsRegion(region: string): boolean {
    if (this.knownRegions.has(region)) return true;
    this.unknownRegions[region] = (this.unknownRegions[region] ?? 0) + 1;
    return false;
  }

  isKnownRegion(region: string): boolean {
    return this.knownRegions.has(region);
  }

  skip(reason: string, count = 1): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + count;
  }

  note(what: string, count = 1): void {
    this.notes[what] = (this.notes[what] ?? 0) + count;
  }

  report(): SourceReport {
    return {
      source: this.source,
      provider: this.provider,
      rowsRead: this.rowsRead,
      specsBuilt: this.specsBuilt,
      skipped: { ...this.skipped },
      notes: { ...this.notes },
      unknownRegions: { ...this.unknownRegions },
    };
  }
}

export interface SourceReport {
  source: string;
  provider: ProviderId;
  rowsRead: number;
  specsBuilt: number;
  skipped: Record<string, number>;
  notes: Record<string, number>;
  unknownRegions: Record<string, number>;
}

/** What every spec source produces: specs in priority order plus its tally. */
export interface SourceResult {
  specs: Spec[];
  tally: SourceTally;
}

/**
 * The id `provider+region+name` for a spec about to be built, counted as built; undefined (and
 * counted as skipped) when a part cannot be an id part. The region must have passed acceptsRegion().
 * Loaders put the id straight into the spec's object literal: copying 75,000 objects to add it
 * afterwards cost a tenth of the load time.
 */
export function specId(
  provider: ProviderId,
  region: string,
  name: string,
  tally: SourceTally,
): string | undefined {
  if (!tally.isKnownRegion(region)) throw new Error(`${tally.source}: region ${region} was not checked`);
  if (name.includes(ID_SEPARATOR) || region.includes(ID_SEPARATOR)) {
    tally.skip('name or region contains "+"');
    return undefined;
  }
  tally.specsBuilt++;
  return resourceId(provider, region, name);
}

/** Collapses per-zone rows into one per (name, region): zones collected, lowest prices kept. */
export class ZoneCollapser<Extra> {
  private readonly groups = new Map<string, CollapsedRow<Extra>>();

  add(
    name: string,
    region: string,
    zone: string,
    price: number | null,
    spot: number | null,
    extra: Extra,
  ): void {
    const key = `${name} ${region}`;
    const group = this.groups.get(key);
    if (!group) {
      this.groups.set(key, { name, region, zones: zone ? [zone] : [], price, spot, extra });
      return;
    }
    if (zone && !group.zones.includes(zone)) group.zones.push(zone);
    group.price = minOf(group.price, price);
    group.spot = minOf(group.spot, spot);
  }

  entries(): CollapsedRow<Extra>[] {
    const rows = [...this.groups.values()];
    for (const row of rows) row.zones.sort();
    return rows;
  }
}

export interface CollapsedRow<Extra> {
  name: string;
  region: string;
  zones: string[];
  price: number | null;
  spot: number | null;
  /** Fields of the first row seen. */
  extra: Extra;
}

export function minOf(left: number | null, right: number | null): number | null {
  if (left === null) return right;
  if (right === null) return left;
  return Math.min(left, right);
}
