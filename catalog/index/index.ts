export {
  CatalogIndex,
  type CatalogIndexOptions,
  compareIds,
  IMAGE_COLUMNS,
  IMAGES_TABLE,
  type IndexMeta,
  type IndexOpenReport,
  type IndexSource,
  imageFromRow,
  LATENCY_TABLE,
  type LatencyRow,
  REGIONS_TABLE,
  type RowEnricher,
  SPECS_TABLE,
  type TableName,
} from './catalog-index.ts';
export {
  DEFAULT_LOCAL_DIMENSIONS,
  EMBEDDING_ALIASES,
  type EmbeddingFunction,
  embeddingFromConfig,
  embeddingTokens,
  LocalEmbedding,
  OpenAIEmbedding,
} from './embedding.ts';
export { countryNameOf, gpuKeyOfModel, ROW_ENRICHER } from './enricher.ts';
export { indexFingerprint, shippedDataFingerprint } from './fingerprint.ts';
export { fromHalf, quantizeHalf, roundToHalf, toHalf } from './half.ts';
export { familyOf, imageText, KRW_PER_USD, regionText, specText, toUsd, UNITS_PER_USD } from './rows.ts';
