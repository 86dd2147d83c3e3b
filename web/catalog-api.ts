// Placeholder until the catalog explorer API lands.
import type { ApiHandler } from './context.ts';
import { jsonError } from './responses.ts';

export const handleCatalogSpecs: ApiHandler = async () =>
  jsonError(501, 'NOT_IMPLEMENTED', 'not implemented yet', 'Use the chat.');
