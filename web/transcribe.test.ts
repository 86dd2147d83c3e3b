import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeTranscription, startFakeTranscription } from './testing/fake-transcription.ts';
import {
  MAX_AUDIO_BYTES,
  TranscriptionConfigError,
  transcribeRequest,
  transcriptionConfigFromEnvironment,
  transcriptionConfigured,
} from './transcribe.ts';

const KEY = 'sk-test-transcribe-0123456789';

let fake: FakeTranscription;
let baseURL: string;
let seen: FakeTranscription['seen'];

beforeAll(async () => {
  fake = await startFakeTranscription();
  baseURL = fake.baseURL;
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.seen.length = 0;
  seen = fake.seen;
  fake.reply = { status: 200, body: { text: 'hello' } };
});

/** A WebM (EBML) header and some bytes: what Chrome's MediaRecorder starts its recordings with. */
const WEBM = new Uint8Array([
  0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01, 7, 8, 9,
]);

function environment(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return { S2A_TRANSCRIBE_MODEL: 'whisper-1', OPENAI_API_KEY: KEY, OPENAI_BASE_URL: baseURL, ...extra };
}

function audioRequest(body: Uint8Array, query = '', type = 'audio/webm;codecs=opus'): Request {
  return new Request(`http://127.0.0.1:3000/api/transcribe${query}`, {
    method: 'POST',
    headers: { 'Content-Type': type },
    body,
  });
}

describe('transcription settings', () => {
  it('needs S2A_TRANSCRIBE_MODEL and an LLM endpoint', () => {
    expect(transcriptionConfigured({})).toBe(false);
    expect(transcriptionConfigured({ OPENAI_API_KEY: KEY })).toBe(false);
    expect(transcriptionConfigured({ S2A_TRANSCRIBE_MODEL: 'whisper-1' })).toBe(false);
    expect(() => transcriptionConfigFromEnvironment({ S2A_TRANSCRIBE_MODEL: 'whisper-1' })).toThrow(
      TranscriptionConfigError,
    );
    expect(transcriptionConfigured({ S2A_TRANSCRIBE_MODEL: 'whisper-1', OPENAI_API_KEY: KEY })).toBe(true);
    expect(
      transcriptionConfigured({
        S2A_TRANSCRIBE_MODEL: 'whisper-large-v3',
        S2A_LLM_BASE_URL: 'http://127.0.0.1:8000/v1',
        S2A_LLM_MODEL: 'qwen',
      }),
    ).toBe(true);
    // A base URL without its model is a broken LLM setting: not silently half-used.
    expect(
      transcriptionConfigured({
        S2A_TRANSCRIBE_MODEL: 'whisper-1',
        S2A_LLM_BASE_URL: 'http://127.0.0.1:8000/v1',
      }),
    ).toBe(false);
  });

  it('takes the OpenAI-compatible server and its own key over OPENAI_API_KEY', () => {
    const config = transcriptionConfigFromEnvironment({
      S2A_TRANSCRIBE_MODEL: 'whisper-large-v3',
      S2A_LLM_BASE_URL: 'http://127.0.0.1:8000/v1/',
      S2A_LLM_MODEL: 'qwen',
      S2A_LLM_API_KEY: 'local-key',
      OPENAI_API_KEY: KEY,
    });
    expect(config).toMatchObject({ model: 'whisper-large-v3', baseURL: 'http://127.0.0.1:8000/v1' });
    expect(config?.apiKey).toBe('local-key');
  });

  it('keeps the key out of serialised config', () => {
    const config = transcriptionConfigFromEnvironment(environment());
    expect(config?.apiKey).toBe(KEY);
    expect(JSON.stringify(config)).not.toContain(KEY);
  });
});

describe('POST /api/transcribe', () => {
  it('sends the audio to /audio/transcriptions as a multipart form and answers its text', async () => {
    fake.reply = {
      status: 200,
      body: { text: '  서울에 VM 두 대 만들어줘 ', language: 'korean', duration: 2.5 },
    };
    const response = await transcribeRequest(audioRequest(WEBM, '?language=ko-KR'), environment());
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ text: '서울에 VM 두 대 만들어줘', durationInSeconds: 2.5 });
    expect(JSON.stringify(body)).not.toContain(KEY);

    expect(seen).toHaveLength(1);
    const request = seen[0];
    expect(request?.path).toBe('/v1/audio/transcriptions');
    expect(request?.authorization).toBe(`Bearer ${KEY}`);
    expect(request?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(request?.model).toBe('whisper-1');
    expect(request?.language).toBe('ko');
    // The SDK recognises WebM by its bytes and names the file so the server can decode it.
    expect(request?.fileName).toBe('audio.webm');
    expect(request?.fileType).toBe('audio/webm');
    expect(request?.fileBytes).toEqual(WEBM);
  });

  it('sends no language when none is given', async () => {
    const response = await transcribeRequest(audioRequest(WEBM), environment());
    expect(response.status).toBe(200);
    expect(((await response.json()) as { text: string }).text).toBe('hello');
    expect(seen[0]?.language).toBeUndefined();
  });

  it('answers 501 when no model is configured, without calling anything', async () => {
    const response = await transcribeRequest(audioRequest(WEBM), { OPENAI_API_KEY: KEY });
    expect(response.status).toBe(501);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_CONFIGURED');
    expect(seen).toHaveLength(0);
  });

  it('refuses a body that is not audio, too large, empty, or a bad language', async () => {
    const notAudio = await transcribeRequest(audioRequest(WEBM, '', 'application/json'), environment());
    expect(notAudio.status).toBe(415);
    const tooLarge = await transcribeRequest(
      audioRequest(new Uint8Array(MAX_AUDIO_BYTES + 1)),
      environment(),
    );
    expect(tooLarge.status).toBe(413);
    const empty = await transcribeRequest(audioRequest(new Uint8Array(0)), environment());
    expect(empty.status).toBe(400);
    const badLanguage = await transcribeRequest(audioRequest(WEBM, '?language=k%20o'), environment());
    expect(badLanguage.status).toBe(400);
    expect(((await badLanguage.json()) as { error: { code: string } }).error.code).toBe('BAD_LANGUAGE');
    expect(seen).toHaveLength(0);
  });

  it('answers 422 when the server hears no speech', async () => {
    fake.reply = { status: 200, body: { text: '' } };
    const response = await transcribeRequest(audioRequest(WEBM), environment());
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NO_SPEECH');
  });

  it('reports a server error without the key, even when the server echoes it', async () => {
    fake.reply = {
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${KEY}`, type: 'invalid_request_error' } },
    };
    const response = await transcribeRequest(audioRequest(WEBM), environment());
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(text).toContain('TRANSCRIPTION_FAILED');
    expect(text).toContain('401');
    expect(text).not.toContain(KEY);
  });
});
