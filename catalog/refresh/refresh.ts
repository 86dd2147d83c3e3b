/**
 * Refresh: pulls regions, specs (with prices) and images through each provider's driver (the sim now,
 * real drivers later), upserts them into the catalog's index in batches, and records per provider
 * when that happened, so tools can say how stale the catalog is.
 */
import { z } from 'zod';
import {
  type CloudDriver,
  DriverError,
  type Image,
  ImageSchema,
  PROVIDERS,
  type ProviderId,
  ProviderIdSchema,
  type Spec,
  SpecSchema,
  ThrottledError,
} from '../../drivers/spec/index.ts';
import type { Repository } from '../../store/types.ts';

/** Prices a sink already holds for a spec id. */
export type KnownPrice = Pick<Spec, 'pricePerHour' | 'spotPricePerHour' | 'currency'>;

/** Where refreshed rows go: the catalog index (a LanceDB table) in s2a; anything with these two calls. */
export interface CatalogSink {
  upsertSpecs(rows: Spec[]): Promise<unknown>;
  upsertImages(rows: Image[]): Promise<unknown>;
  /**
   * Prices the sink holds for these ids. With it, a driver that returns a spec without a price (a
   * real driver whose price source is off) keeps the price the catalog had instead of erasing it.
   */
  knownPrices?(ids: string[]): Promise<Map<string, KnownPrice>>;
}

/** Fills a refreshed row's null prices from the sink's, in the same currency; counts rows that kept one. */
export async function keepKnownPrices(
  rows: Spec[],
  sink: CatalogSink,
): Promise<{ rows: Spec[]; kept: number }> {
  const unpriced = rows.filter((row) => row.pricePerHour === null || row.spotPricePerHour === null);
  if (unpriced.length === 0 || !sink.knownPrices) return { rows, kept: 0 };
  const known = await sink.knownPrices(unpriced.map((row) => row.id));
  let kept = 0;
  const merged = rows.map((row) => {
    const price = known.get(row.id);
    if (!price || price.currency !== row.currency) return row;
    const pricePerHour = row.pricePerHour ?? price.pricePerHour;
    const spotPricePerHour = row.spotPricePerHour ?? price.spotPricePerHour;
    if (pricePerHour === row.pricePerHour && spotPricePerHour === row.spotPricePerHour) return row;
    kept++;
    return { ...row, pricePerHour, spotPricePerHour };
  });
  return { rows: merged, kept };
}

/** The store calls refresh uses: the refresh records live in namespace "catalog", kind "refresh". */
export type RefreshStore = Pick<Repository, 'get' | 'put'>;

export const REFRESH_NAMESPACE = 'catalog';
export const REFRESH_KIND = 'refresh';

const ErrorSummarySchema = z.object({
  code: z.string().describe('DriverError code (THROTTLED, AUTH…) or the error name'),
  message: z.string(),
});
export type ErrorSummary = z.infer<typeof ErrorSummarySchema>;

/** What the store keeps per provider (id = provider). */
export const RefreshRecordSchema = z.object({
  provider: ProviderIdSchema,
  /** When the last successful refresh finished; null when none has. */
  refreshedAt: z.string().nullable(),
  /** Rows the last successful refresh upserted. */
  regions: z.number().int().nonnegative(),
  specs: z.number().int().nonnegative(),
  images: z.number().int().nonnegative(),
  /** Which driver served them: "sim", "aws"… */
  driver: z.string().nullable(),
  /** The last failed attempt, if it came after the last success. */
  lastError: ErrorSummarySchema.extend({ at: z.string() }).nullable(),
});
export type RefreshRecord = z.infer<typeof RefreshRecordSchema>;

export interface RefreshProgress {
  provider: ProviderId;
  /**
   * started: regions listed (regionsTotal known); region: one region's specs and images are in;
   * retry: a throttled (or otherwise retryable) call waits `retry.waitMs`; done / failed: the
   * provider is finished.
   */
  phase: 'started' | 'region' | 'retry' | 'done' | 'failed';
  regionsDone: number;
  regionsTotal: number;
  /** Valid rows received so far (they reach the sink in batches; done: all upserted). */
  specs: number;
  images: number;
  region?: string;
  retry?: { operation: string; region?: string; attempt: number; waitMs: number; code: string };
  error?: ErrorSummary;
  /** Position of this provider in the refresh: 1-based, of `providersTotal`. */
  providerIndex: number;
  providersTotal: number;
}

export interface ProviderRefreshResult {
  provider: ProviderId;
  ok: boolean;
  driver: string | null;
  regions: number;
  /** Rows upserted (on failure: those upserted before it). */
  specs: number;
  images: number;
  /** Rows the driver returned that failed their schema or belonged elsewhere; not upserted. */
  invalid: number;
  /** Specs the driver returned without a price that kept the price the sink had. */
  pricesKept: number;
  retries: number;
  refreshedAt: string | null;
  error?: ErrorSummary;
}

export interface RefreshSummary {
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  specs: number;
  images: number;
  providers: ProviderRefreshResult[];
}

export interface RetryOptions {
  /** Attempts per call, the first included. Default 6. */
  maxAttempts?: number;
  /** A throttled call waits what the provider asks, but never longer than this. Default 30 s. */
  maxWaitMs?: number;
  /** First wait for other retryable errors (doubled per attempt, up to maxWaitMs). Default 250 ms. */
  backoffMs?: number;
}

export interface RefreshOptions {
  /** Only this provider (or these); all ten when omitted. */
  provider?: ProviderId | readonly ProviderId[];
  driverFor: (provider: ProviderId) => Promise<CloudDriver>;
  sink: CatalogSink;
  store: RefreshStore;
  onProgress?: (progress: RefreshProgress) => void;
  /** Rows per upsert call. Default 5,000. */
  batchSize?: number;
  /** Regions fetched at once per provider. Default 4. */
  concurrency?: number;
  retry?: RetryOptions;
  clock?: () => number;
  /** Stops between calls; the provider in progress fails with the abort reason. */
  signal?: AbortSignal;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

export function summarizeError(error: unknown): ErrorSummary {
  if (error instanceof DriverError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: error.name || 'Error', message: error.message };
  return { code: 'Error', message: String(error) };
}

/**
 * Upserts rows in batches of `size`, one call at a time (concurrent region workers share it, and an
 * index writer is happiest with one writer).
 */
class Batcher<Row> {
  private pending: Row[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  /** Rows given to `add`, upserted or waiting for their batch. */
  received = 0;
  upserted = 0;

  constructor(
    private readonly size: number,
    private readonly write: (rows: Row[]) => Promise<unknown>,
  ) {}

  async add(rows: readonly Row[]): Promise<void> {
    for (const row of rows) this.pending.push(row);
    this.received += rows.length;
    while (this.pending.length >= this.size) await this.flushSome(this.pending.splice(0, this.size));
  }

  async flush(): Promise<void> {
    if (this.pending.length > 0) await this.flushSome(this.pending.splice(0));
    await this.chain;
  }

  private flushSome(rows: Row[]): Promise<unknown> {
    this.chain = this.chain.then(async () => {
      await this.write(rows);
      this.upserted += rows.length;
    });
    return this.chain;
  }
}

/** Calls `work`, retrying ThrottledError after its retryAfterMs and other retryable errors with backoff. */
async function withRetry<T>(
  work: () => Promise<T>,
  options: Required<RetryOptions>,
  onRetry: (attempt: number, waitMs: number, error: DriverError) => void,
  signal: AbortSignal | undefined,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof DriverError) || !error.retryable || attempt >= options.maxAttempts) throw error;
      const waitMs =
        error instanceof ThrottledError
          ? Math.min(Math.max(error.retryAfterMs, 1), options.maxWaitMs)
          : Math.min(options.backoffMs * 2 ** (attempt - 1), options.maxWaitMs);
      onRetry(attempt, waitMs, error);
      await sleep(waitMs);
    }
  }
}

function providersOf(option: RefreshOptions['provider']): ProviderId[] {
  if (option === undefined) return [...PROVIDERS];
  return typeof option === 'string' ? [option] : [...option];
}

async function readRecord(store: RefreshStore, provider: ProviderId): Promise<RefreshRecord | undefined> {
  const record = await store.get<unknown>(REFRESH_NAMESPACE, REFRESH_KIND, provider);
  if (!record) return undefined;
  const parsed = RefreshRecordSchema.safeParse(record.data);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Refreshes one provider after another; a provider that fails is recorded and reported, and the
 * others go on. Rows are validated (schema, provider, region) before they reach the sink.
 */
export async function refreshCatalog(options: RefreshOptions): Promise<RefreshSummary> {
  const clock = options.clock ?? Date.now;
  const providers = providersOf(options.provider);
  const retry: Required<RetryOptions> = {
    maxAttempts: options.retry?.maxAttempts ?? 6,
    maxWaitMs: options.retry?.maxWaitMs ?? 30_000,
    backoffMs: options.retry?.backoffMs ?? 250,
  };
  const startedAt = new Date(clock()).toISOString();
  const results: ProviderRefreshResult[] = [];
  for (const [index, provider] of providers.entries()) {
    results.push(
      await refreshProvider(provider, options, retry, clock, {
        providerIndex: index + 1,
        providersTotal: providers.length,
      }),
    );
  }
  return {
    startedAt,
    finishedAt: new Date(clock()).toISOString(),
    ok: results.every((result) => result.ok),
    specs: results.reduce((sum, result) => sum + result.specs, 0),
    images: results.reduce((sum, result) => sum + result.images, 0),
    providers: results,
  };
}

async function refreshProvider(
  provider: ProviderId,
  options: RefreshOptions,
  retry: Required<RetryOptions>,
  clock: () => number,
  position: { providerIndex: number; providersTotal: number },
): Promise<ProviderRefreshResult> {
  const batchSize = Math.max(1, options.batchSize ?? 5_000);
  const specs = new Batcher<Spec>(batchSize, (rows) => options.sink.upsertSpecs(rows));
  const images = new Batcher<Image>(batchSize, (rows) => options.sink.upsertImages(rows));
  const state = { regionsDone: 0, regionsTotal: 0, retries: 0, invalid: 0, pricesKept: 0 };
  let driverName: string | null = null;
  const report = (phase: RefreshProgress['phase'], extra: Partial<RefreshProgress> = {}) =>
    options.onProgress?.({
      provider,
      phase,
      regionsDone: state.regionsDone,
      regionsTotal: state.regionsTotal,
      specs: specs.received,
      images: images.received,
      ...position,
      ...extra,
    });
  const call = <T>(operation: string, region: string | undefined, work: () => Promise<T>) =>
    withRetry(
      work,
      retry,
      (attempt, waitMs, error) => {
        state.retries++;
        report('retry', {
          retry: { operation, attempt, waitMs, code: error.code, ...(region ? { region } : {}) },
        });
      },
      options.signal,
    );
  try {
    const driver = await options.driverFor(provider);
    driverName = driver.capabilities.driver;
    const regions = await call('listRegions', undefined, () => driver.listRegions());
    state.regionsTotal = regions.length;
    report('started');
    const queue = regions.map((region) => region.code);
    const valid = <Row extends Spec | Image>(
      rows: readonly unknown[],
      schema: z.ZodType<Row>,
      region: string,
    ): Row[] => {
      const kept: Row[] = [];
      for (const row of rows) {
        const parsed = schema.safeParse(row);
        if (parsed.success && parsed.data.provider === provider && parsed.data.region === region)
          kept.push(parsed.data);
        else state.invalid++;
      }
      return kept;
    };
    const worker = async () => {
      try {
        for (let region = queue.shift(); region !== undefined; region = queue.shift()) {
          const code = region;
          const regionSpecs = await call('listSpecs', code, () => driver.listSpecs({ region: code }));
          const regionImages = await call('listImages', code, () => driver.listImages({ region: code }));
          const priced = await keepKnownPrices(valid(regionSpecs, SpecSchema, code), options.sink);
          state.pricesKept += priced.kept;
          await specs.add(priced.rows);
          await images.add(valid(regionImages, ImageSchema, code));
          state.regionsDone++;
          report('region', { region: code });
        }
      } catch (error) {
        queue.length = 0; // the other workers stop after their current region
        throw error;
      }
    };
    const workers = Math.max(1, Math.min(options.concurrency ?? 4, queue.length));
    const outcomes = await Promise.allSettled(Array.from({ length: workers }, worker));
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    // Whatever arrived before a failure is real data: it goes in either way.
    await specs.flush();
    await images.flush();
    if (failure) throw failure.reason;
    const refreshedAt = new Date(clock()).toISOString();
    const record: RefreshRecord = {
      provider,
      refreshedAt,
      regions: state.regionsTotal,
      specs: specs.upserted,
      images: images.upserted,
      driver: driverName,
      lastError: null,
    };
    await options.store.put(REFRESH_NAMESPACE, REFRESH_KIND, provider, record);
    report('done');
    return {
      provider,
      ok: true,
      driver: driverName,
      regions: state.regionsTotal,
      specs: specs.upserted,
      images: images.upserted,
      invalid: state.invalid,
      pricesKept: state.pricesKept,
      retries: state.retries,
      refreshedAt,
    };
  } catch (error) {
    const summary = summarizeError(error);
    await specs.flush().catch(() => undefined);
    await images.flush().catch(() => undefined);
    const previous = await readRecord(options.store, provider);
    const record: RefreshRecord = {
      provider,
      refreshedAt: previous?.refreshedAt ?? null,
      regions: previous?.regions ?? 0,
      specs: previous?.specs ?? 0,
      images: previous?.images ?? 0,
      driver: previous?.driver ?? driverName,
      lastError: { ...summary, at: new Date(clock()).toISOString() },
    };
    await options.store.put(REFRESH_NAMESPACE, REFRESH_KIND, provider, record);
    report('failed', { error: summary });
    return {
      provider,
      ok: false,
      driver: driverName,
      regions: state.regionsTotal,
      specs: specs.upserted,
      images: images.upserted,
      invalid: state.invalid,
      pricesKept: state.pricesKept,
      retries: state.retries,
      refreshedAt: null,
      error: summary,
    };
  }
}

/** The refresh records of every provider that has one. */
export async function readRefreshRecords(
  store: RefreshStore,
): Promise<Partial<Record<ProviderId, RefreshRecord>>> {
  const records: Partial<Record<ProviderId, RefreshRecord>> = {};
  for (const provider of PROVIDERS) {
    const record = await readRecord(store, provider);
    if (record) records[provider] = record;
  }
  return records;
}

export interface Staleness {
  /** When the provider's rows were last refreshed from a driver; null: only the shipped data. */
  refreshedAt: string | null;
  /** Hours since then (two decimals); null when never refreshed. */
  ageHours: number | null;
}

/** How old each provider's refreshed rows are, for tools to report next to their answers. */
export async function catalogStaleness(
  store: RefreshStore,
  now: number = Date.now(),
): Promise<Record<ProviderId, Staleness>> {
  const records = await readRefreshRecords(store);
  return Object.fromEntries(
    PROVIDERS.map((provider) => {
      const refreshedAt = records[provider]?.refreshedAt ?? null;
      const ageHours =
        refreshedAt === null
          ? null
          : Math.round((Math.max(0, now - Date.parse(refreshedAt)) / 3_600_000) * 100) / 100;
      return [provider, { refreshedAt, ageHours }];
    }),
  ) as Record<ProviderId, Staleness>;
}
