/**
 * `s2a catalog refresh [--provider P]` and `s2a catalog status`: pull the catalog's rows through the
 * drivers into the index under S2A_HOME, and show how many rows each provider has and how old they are.
 */

import type { Catalog } from '../catalog/catalog.ts';
import { loadProviders } from '../catalog/load/index.ts';
import {
  type CatalogSink,
  catalogStaleness,
  type KnownPrice,
  type RefreshProgress,
  type RefreshSummary,
  readRefreshRecords,
  refreshCatalog,
} from '../catalog/refresh/index.ts';
import { PROVIDERS, type ProviderId } from '../drivers/spec/index.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { formatTable } from './format.ts';
import { type CliOptions, print, requireProvider, UsageError } from './usage.ts';

const BAR_WIDTH = 24;

function count(value: number): string {
  return value.toLocaleString('en-US');
}

/**
 * Shows refresh progress: on a TTY one line per provider, redrawn in place with a bar; otherwise
 * (a pipe, a log file) plain lines, one per event.
 */
export class RefreshProgressView {
  private lineOpen = false;

  constructor(
    private readonly tty: boolean,
    private readonly write: (text: string) => void,
  ) {}

  update(event: RefreshProgress): void {
    const label = event.provider.padEnd(9);
    if (this.tty) this.drawTty(label, event);
    else this.drawPlain(label, event);
  }

  private drawTty(label: string, event: RefreshProgress): void {
    const rows = `${count(event.specs)} specs, ${count(event.images)} images`;
    if (event.phase === 'done' || event.phase === 'failed') {
      const end =
        event.phase === 'done'
          ? `done: ${event.regionsTotal} regions, ${rows}`
          : `failed: ${event.error?.code}: ${event.error?.message}`;
      this.write(`\r\x1b[2K${label} ${event.phase === 'done' ? '✓' : '✗'} ${end}\n`);
      this.lineOpen = false;
      return;
    }
    const fraction = event.regionsTotal > 0 ? event.regionsDone / event.regionsTotal : 0;
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
    const note =
      event.phase === 'retry' && event.retry
        ? `  (${event.retry.code} on ${event.retry.operation}, retrying in ${(event.retry.waitMs / 1000).toFixed(1)} s)`
        : '';
    this.write(
      `\r\x1b[2K${label} [${bar}] ${event.regionsDone}/${event.regionsTotal} regions  ${rows}${note}`,
    );
    this.lineOpen = true;
  }

  private drawPlain(label: string, event: RefreshProgress): void {
    const position = `${event.regionsDone}/${event.regionsTotal}`;
    switch (event.phase) {
      case 'started':
        this.write(`${label} ${event.regionsTotal} regions to refresh\n`);
        break;
      case 'region':
        this.write(
          `${label} ${position} ${event.region}: ${count(event.specs)} specs, ${count(event.images)} images so far\n`,
        );
        break;
      case 'retry':
        this.write(
          `${label} ${event.retry?.code} on ${event.retry?.operation}${event.retry?.region ? ` (${event.retry.region})` : ''}: retry ${event.retry?.attempt} in ${event.retry?.waitMs} ms\n`,
        );
        break;
      case 'done':
        this.write(
          `${label} done: ${event.regionsTotal} regions, ${count(event.specs)} specs, ${count(event.images)} images\n`,
        );
        break;
      case 'failed':
        this.write(
          `${label} failed after ${position} regions: ${event.error?.code}: ${event.error?.message}\n`,
        );
        break;
    }
  }

  /** Ends a line left open by an interrupted run. */
  close(): void {
    if (this.lineOpen) this.write('\n');
    this.lineOpen = false;
  }
}

function describeSummary(summary: RefreshSummary): string {
  const failed = summary.providers.filter((result) => !result.ok);
  const lines = [
    `Refreshed ${summary.providers.length - failed.length} of ${summary.providers.length} providers: ` +
      `${count(summary.specs)} specs and ${count(summary.images)} images upserted into the catalog index.`,
  ];
  for (const result of failed) {
    lines.push(`  ${result.provider} failed: ${result.error?.code}: ${result.error?.message}`);
  }
  if (failed.length > 0)
    lines.push('Run the same command again for the failed providers, with --provider P.');
  return lines.join('\n');
}

/** Ids per LanceDB `IN (…)` filter: keeps each filter string a reasonable size. */
const PRICE_LOOKUP_BATCH = 500;

/**
 * The catalog as refresh's sink, with the prices its index already holds: a real driver without a
 * price source (AWS `prices: "none"`) then keeps the shipped prices instead of erasing them.
 */
export function catalogSink(catalog: Catalog): CatalogSink {
  return {
    upsertSpecs: (rows) => catalog.upsertSpecs(rows),
    upsertImages: (rows) => catalog.upsertImages(rows),
    knownPrices: async (ids) => {
      const prices = new Map<string, KnownPrice>();
      for (let start = 0; start < ids.length; start += PRICE_LOOKUP_BATCH) {
        const quoted = ids
          .slice(start, start + PRICE_LOOKUP_BATCH)
          .map((id) => `'${id.replaceAll("'", "''")}'`);
        const rows = await catalog.index
          .table('specs')
          .query()
          .where(`id IN (${quoted.join(', ')})`)
          .select(['id', 'price', 'spot_price', 'currency'])
          .toArray();
        for (const row of rows) {
          const number = (value: unknown) => (typeof value === 'number' ? value : null);
          prices.set(String(row.id), {
            pricePerHour: number(row.price),
            spotPricePerHour: number(row.spot_price),
            currency: String(row.currency),
          });
        }
      }
      return prices;
    },
  };
}

async function commandRefresh(runtime: Runtime, options: CliOptions): Promise<number> {
  const provider =
    options.values.provider === undefined ? undefined : requireProvider(options.values.provider);
  if (!options.json)
    console.log(
      `Opening the catalog index in ${runtime.home}/catalog (built from the shipped data on first use)…`,
    );
  const index = await runtime.catalog();
  const view = options.json
    ? undefined
    : new RefreshProgressView(Boolean(process.stdout.isTTY), (text) => {
        process.stdout.write(text);
      });
  let summary: RefreshSummary;
  try {
    summary = await refreshCatalog({
      ...(provider ? { provider } : {}),
      driverFor: (name) => runtime.driver(name),
      sink: catalogSink(index),
      store: runtime.store,
      ...(view ? { onProgress: (event: RefreshProgress) => view.update(event) } : {}),
    });
  } finally {
    view?.close();
  }
  print(options, describeSummary(summary), summary);
  return summary.ok ? 0 : 1;
}

function age(hours: number | null): string {
  if (hours === null) return 'never';
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} d`;
}

async function commandStatus(runtime: Runtime, options: CliOptions): Promise<number> {
  const providers: readonly ProviderId[] =
    options.values.provider === undefined ? PROVIDERS : [requireProvider(options.values.provider)];
  const shipped = new Map(loadProviders().map((provider) => [provider.id, provider]));
  const records = await readRefreshRecords(runtime.store);
  const staleness = await catalogStaleness(runtime.store);
  const indexed = await (await runtime.catalog()).rowsByProvider();
  const rows = providers.map((provider) => {
    const record = records[provider];
    return {
      provider,
      shippedSpecs: shipped.get(provider)?.specs ?? 0,
      dataAsOf: shipped.get(provider)?.dataAsOf ?? null,
      indexedSpecs: indexed[provider]?.specs ?? 0,
      indexedImages: indexed[provider]?.images ?? 0,
      refreshedAt: staleness[provider].refreshedAt,
      ageHours: staleness[provider].ageHours,
      refreshedSpecs: record?.specs ?? null,
      refreshedImages: record?.images ?? null,
      driver: record?.driver ?? null,
      lastError: record?.lastError ?? null,
    };
  });
  const table = formatTable([
    [
      'provider',
      'shipped specs',
      'data as of',
      'index specs',
      'index images',
      'refreshed',
      'age',
      'driver',
      'last error',
    ],
    ...rows.map((row) => [
      row.provider,
      count(row.shippedSpecs),
      row.dataAsOf ?? '-',
      count(row.indexedSpecs),
      count(row.indexedImages),
      row.refreshedAt ?? 'never',
      age(row.ageHours),
      row.driver ?? '-',
      row.lastError ? `${row.lastError.code} at ${row.lastError.at}` : '-',
    ]),
  ]);
  const hint = rows.some((row) => row.refreshedAt === null)
    ? '\nProviders never refreshed answer from the shipped data only: s2a catalog refresh [--provider P]'
    : '';
  print(options, `${table}${hint}`, rows);
  return 0;
}

export async function commandCatalog(runtime: Runtime, options: CliOptions): Promise<number> {
  const [, action] = options.positionals;
  if (action === 'refresh') return commandRefresh(runtime, options);
  if (action === 'status') return commandStatus(runtime, options);
  throw new UsageError('catalog needs an action: refresh [--provider P], status');
}
