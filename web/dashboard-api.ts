// Placeholder until the dashboard API lands: every route answers 501.
import type { ApiHandler } from './context.ts';
import { jsonError } from './responses.ts';

const notYet: ApiHandler = async () =>
  jsonError(501, 'NOT_IMPLEMENTED', 'not implemented yet', 'Use the chat.');
export const handleListMcis = notYet;
export const handleGetMci = notYet;
export const handleMciAction = notYet;
