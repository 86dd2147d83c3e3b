// Placeholder until server-side transcription lands.
import type { ApiHandler } from './context.ts';
import { jsonError } from './responses.ts';

export function transcriptionConfigured(_environment: Record<string, string | undefined>): boolean {
  return false;
}

export const handleTranscribe: ApiHandler = async () =>
  jsonError(501, 'NOT_IMPLEMENTED', 'no transcription model is configured', 'Type the request instead.');
