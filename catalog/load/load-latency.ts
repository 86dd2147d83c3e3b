import type { ProviderId } from '../../drivers/spec/index.ts';
import { isProviderId, regionId } from '../../drivers/spec/index.ts';
import { numberCell, readDataCsv } from './data-files.ts';
import { regionCodesByProvider } from './load-regions.ts';

export interface LatencyRow {
  /** Region id, "provider+region". */
  from: string;
  to: string;
  /** Round-trip time in milliseconds, measured by Cloud-Barista (data from 2022-11). */
  rttMs: number;
}

/**
 * Maps a latency-map label ("aws-ap-northeast-2", "gcp-asia-east1") to a region id: the provider is
 * the part before the first "-". Undefined when the region is not an enabled region of loadRegions().
 */
export function regionIdFromLatencyLabel(
  label: string,
  regionCodes: ReadonlyMap<ProviderId, ReadonlySet<string>>,
): string | undefined {
  const dash = label.indexOf('-');
  if (dash <= 0) return undefined;
  const provider = label.slice(0, dash);
  const code = label.slice(dash + 1);
  if (!isProviderId(provider) || !regionCodes.get(provider)?.has(code)) return undefined;
  return regionId(provider, code);
}

let cachedLatency: LatencyRow[] | undefined;

/**
 * Inter-region RTTs from cloudlatencymap.csv (a square matrix, rows = from, columns = to, padded with
 * empty cells). Only pairs whose both ends are enabled regions are kept; the diagonal (a region to
 * itself) is kept too, as the source measured it.
 */
export function loadLatency(): LatencyRow[] {
  if (cachedLatency) return [...cachedLatency];
  const table = readDataCsv('cloud-barista/cb-tumblebug-assets/cloudlatencymap.csv');
  const regionCodes = regionCodesByProvider();
  const targets = table.header.map((label) => regionIdFromLatencyLabel(label.trim(), regionCodes));
  const rows: LatencyRow[] = [];
  for (const row of table.rows) {
    const from = regionIdFromLatencyLabel((row[0] ?? '').trim(), regionCodes);
    if (!from) continue;
    for (let index = 1; index < row.length; index++) {
      const to = targets[index];
      const rttMs = numberCell(row, index);
      if (to && rttMs !== null && rttMs >= 0) rows.push({ from, to, rttMs });
    }
  }
  cachedLatency = rows;
  return [...rows];
}
