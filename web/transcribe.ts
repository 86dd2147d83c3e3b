/**
 * POST /api/transcribe: speech to text on the server, for browsers without the Web Speech API.
 * The browser records with MediaRecorder and posts the audio as the raw body; the AI SDK sends it to
 * an OpenAI-compatible /audio/transcriptions endpoint: the LLM's own endpoint and key, with the model
 * named by S2A_TRANSCRIBE_MODEL (whisper-1, gpt-4o-mini-transcribe, a local whisper server's name…).
 */
import { createOpenAI } from '@ai-sdk/openai';
import { APICallError, NoTranscriptGeneratedError, experimental_transcribe as transcribe } from 'ai';
import { z } from 'zod';
import { llmConfigFromEnvironment } from '../agent/llm/llm-config.ts';
import type { ApiHandler } from './context.ts';
import { json, jsonError } from './responses.ts';

/** Upper bound of one recording (~4 minutes of Opus): the server refuses larger bodies anyway. */
export const MAX_AUDIO_BYTES = 4 * 1024 * 1024;
/** A transcription slower than this is abandoned: the person is waiting with the mic button lit. */
const TRANSCRIBE_TIMEOUT_MS = 60_000;

type Environment = Record<string, string | undefined>;

export interface TranscriptionConfig {
  model: string;
  /** undefined: OpenAI's own API. */
  baseURL: string | undefined;
  /** Secret: non-enumerable, so logging or serialising the config never shows it. */
  readonly apiKey: string | undefined;
}

export class TranscriptionConfigError extends Error {
  override readonly name = 'TranscriptionConfigError';
}

/**
 * The transcription endpoint, or undefined when S2A_TRANSCRIBE_MODEL is not set. The endpoint and key
 * are the LLM's (agent/llm/llm-config.ts): S2A_LLM_BASE_URL with S2A_LLM_API_KEY, else OPENAI_API_KEY
 * with OPENAI_BASE_URL. A model without an endpoint throws, saying what to set.
 */
export function transcriptionConfigFromEnvironment(
  environment: Environment,
): TranscriptionConfig | undefined {
  const model = environment.S2A_TRANSCRIBE_MODEL?.trim();
  if (!model) return undefined;
  let llm: ReturnType<typeof llmConfigFromEnvironment>;
  try {
    llm = llmConfigFromEnvironment(environment);
  } catch (error) {
    throw new TranscriptionConfigError(
      `S2A_TRANSCRIBE_MODEL uses the LLM's endpoint, whose settings are wrong: ${(error as Error).message}`,
    );
  }
  if (!llm) {
    throw new TranscriptionConfigError(
      'S2A_TRANSCRIBE_MODEL is set but there is no endpoint: set OPENAI_API_KEY, or S2A_LLM_BASE_URL (with S2A_LLM_MODEL) for an OpenAI-compatible server',
    );
  }
  const config = { model, baseURL: llm.baseURL } as TranscriptionConfig;
  Object.defineProperty(config, 'apiKey', { value: llm.apiKey, enumerable: false, writable: false });
  return config;
}

/** Whether the browser may offer recording (GET /api/config): a half configuration counts as no. */
export function transcriptionConfigured(environment: Environment): boolean {
  try {
    return transcriptionConfigFromEnvironment(environment) !== undefined;
  } catch {
    return false;
  }
}

/** ko-KR → ko: the API takes ISO-639-1 codes. */
const LanguageSchema = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'language must be a code such as ko, en, ko-KR or en-US')
  .transform((value) => (value.split('-')[0] ?? value).toLowerCase());

const AudioTypeSchema = z
  .string()
  .regex(/^audio\/[\w.+-]+(\s*;.*)?$/i, 'the body must be audio (Content-Type audio/webm, audio/ogg, …)');

/** Keeps the key out of anything sent back, even when a provider echoes it in an error message. */
function redact(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('***') : text;
}

/** Transcribes one request's body; the handler below binds it to the process's environment. */
export async function transcribeRequest(request: Request, environment: Environment): Promise<Response> {
  let config: TranscriptionConfig | undefined;
  try {
    config = transcriptionConfigFromEnvironment(environment);
  } catch (error) {
    return jsonError(501, 'NOT_CONFIGURED', (error as Error).message, 'Type the request instead.');
  }
  if (!config) {
    return jsonError(
      501,
      'NOT_CONFIGURED',
      'no transcription model is configured (S2A_TRANSCRIBE_MODEL)',
      'Type the request, or use a browser with speech recognition (Chrome, Edge, Safari).',
    );
  }
  const type = AudioTypeSchema.safeParse(request.headers.get('content-type') ?? '');
  if (!type.success) {
    return jsonError(415, 'NOT_AUDIO', type.error.issues[0]?.message ?? 'not audio', 'Send the recording.');
  }
  const languageParameter = new URL(request.url).searchParams.get('language');
  const language = languageParameter ? LanguageSchema.safeParse(languageParameter) : undefined;
  if (language && !language.success) {
    return jsonError(
      400,
      'BAD_LANGUAGE',
      language.error.issues[0]?.message ?? 'bad language',
      'Send ko or en.',
    );
  }
  const declaredLength = Number(request.headers.get('content-length') ?? '0');
  if (declaredLength > MAX_AUDIO_BYTES) return tooLarge();
  const audio = new Uint8Array(await request.arrayBuffer());
  if (audio.byteLength > MAX_AUDIO_BYTES) return tooLarge();
  if (audio.byteLength === 0) {
    return jsonError(400, 'EMPTY_AUDIO', 'the recording is empty', 'Hold the mic button a little longer.');
  }

  const provider = createOpenAI({
    ...(config.baseURL ? { baseURL: config.baseURL } : {}),
    // A local server may want no key; an empty one still keeps the SDK from reading the environment.
    apiKey: config.apiKey ?? '',
  });
  try {
    const result = await transcribe({
      model: provider.transcription(config.model),
      audio,
      ...(language?.success ? { providerOptions: { openai: { language: language.data } } } : {}),
      maxRetries: 1,
      abortSignal: AbortSignal.any([request.signal, AbortSignal.timeout(TRANSCRIBE_TIMEOUT_MS)]),
    });
    return json({
      text: result.text.trim(),
      ...(result.language ? { language: result.language } : {}),
      ...(result.durationInSeconds !== undefined ? { durationInSeconds: result.durationInSeconds } : {}),
    });
  } catch (error) {
    if (NoTranscriptGeneratedError.isInstance(error)) {
      return jsonError(
        422,
        'NO_SPEECH',
        'no speech was recognised in the recording',
        'Speak again, closer to the mic.',
      );
    }
    const cause = APICallError.isInstance(error)
      ? `the transcription server answered ${error.statusCode ?? 'nothing'}: ${error.message}`
      : `transcription failed: ${error instanceof Error ? error.message : String(error)}`;
    return jsonError(
      502,
      'TRANSCRIPTION_FAILED',
      redact(cause, config.apiKey),
      'Try again, or type the request.',
    );
  }
}

function tooLarge(): Response {
  return jsonError(
    413,
    'TOO_LARGE',
    `the recording is over ${MAX_AUDIO_BYTES / 1024 / 1024} MB`,
    'Say it in a shorter recording.',
  );
}

export const handleTranscribe: ApiHandler = (request, context) =>
  transcribeRequest(request, context.environment);
