/**
 * The catalog's configuration, read and validated here only.
 *
 * - S2A_CATALOG_EMBEDDING: `local` (default; hashed n-grams, offline, deterministic) or `openai`.
 * - OPENAI_API_KEY: required when S2A_CATALOG_EMBEDDING=openai. Never logged, never returned.
 * - OPENAI_BASE_URL: default https://api.openai.com/v1 (any server speaking the embeddings API).
 * - S2A_CATALOG_EMBEDDING_MODEL: default text-embedding-3-small (openai only).
 * - S2A_CATALOG_EMBEDDING_DIMENSIONS: vector size, default 256.
 *
 * Changing the embedding rebuilds the index on the next open (its name is part of the fingerprint).
 */
import { z } from 'zod';

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_OPENAI_MODEL = 'text-embedding-3-small';

export interface OpenAIEmbeddingConfig {
  baseUrl: string;
  model: string;
  dimensions: number;
  /** The bearer key. Kept out of `JSON.stringify` and `console.log` of the config (non-enumerable). */
  readonly apiKey: string;
}

export type CatalogConfig =
  | { embedding: 'local'; dimensions: number | undefined }
  | { embedding: 'openai'; openai: OpenAIEmbeddingConfig };

/** An empty variable counts as unset. */
const blankAsUnset = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const environmentSchema = z.object({
  S2A_CATALOG_EMBEDDING: z.preprocess(
    blankAsUnset,
    z.enum(['local', 'openai'], { message: 'must be "local" or "openai"' }).default('local'),
  ),
  OPENAI_API_KEY: z.preprocess(blankAsUnset, z.string().trim().optional()),
  OPENAI_BASE_URL: z.preprocess(blankAsUnset, z.url({ message: 'must be a URL' }).optional()),
  S2A_CATALOG_EMBEDDING_MODEL: z.preprocess(blankAsUnset, z.string().trim().optional()),
  S2A_CATALOG_EMBEDDING_DIMENSIONS: z.preprocess(
    blankAsUnset,
    z.coerce
      .number()
      .int({ message: 'must be a whole number' })
      .min(16, { message: 'must be at least 16' })
      .max(4096, { message: 'must be at most 4096' })
      .optional(),
  ),
});

/** Reads the catalog's settings; throws an Error naming the variable to fix. */
export function readCatalogConfig(
  environment: Record<string, string | undefined> = process.env,
): CatalogConfig {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `catalog configuration: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is invalid'}`,
    );
  }
  const env = parsed.data;
  if (env.S2A_CATALOG_EMBEDDING === 'local') {
    return { embedding: 'local', dimensions: env.S2A_CATALOG_EMBEDDING_DIMENSIONS };
  }
  if (!env.OPENAI_API_KEY) {
    throw new Error(
      'catalog configuration: S2A_CATALOG_EMBEDDING=openai needs OPENAI_API_KEY; set it, or unset S2A_CATALOG_EMBEDDING to use the local embedding',
    );
  }
  const openai = {
    baseUrl: (env.OPENAI_BASE_URL ?? DEFAULT_OPENAI_BASE_URL).replace(/\/+$/, ''),
    model: env.S2A_CATALOG_EMBEDDING_MODEL ?? DEFAULT_OPENAI_MODEL,
    dimensions: env.S2A_CATALOG_EMBEDDING_DIMENSIONS ?? 256,
  } as OpenAIEmbeddingConfig;
  Object.defineProperty(openai, 'apiKey', { value: env.OPENAI_API_KEY, enumerable: false });
  return { embedding: 'openai', openai };
}
