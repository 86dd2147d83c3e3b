import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readCatalogConfig } from '../config.ts';
import {
  DEFAULT_LOCAL_DIMENSIONS,
  EMBEDDING_ALIASES,
  embeddingFromConfig,
  embeddingTokens,
  LocalEmbedding,
  OpenAIEmbedding,
  retryAfterMs,
} from './embedding.ts';

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let index = 0; index < a.length; index++) dot += (a[index] ?? 0) * (b[index] ?? 0);
  return dot;
}

describe('LocalEmbedding', () => {
  const embedding = new LocalEmbedding();

  it('is deterministic, L2-normalised and names its size', async () => {
    const [first, second] = await embedding.embed(['g5 xlarge seoul', 'g5 xlarge seoul']);
    expect(first).toEqual(second);
    expect(first?.length).toBe(DEFAULT_LOCAL_DIMENSIONS);
    expect(cosine(first as Float32Array, first as Float32Array)).toBeCloseTo(1, 5);
    expect(embedding.name).toBe(`local-ngram-v1-${DEFAULT_LOCAL_DIMENSIONS}`);
    expect(new LocalEmbedding(64).embedOne('x').length).toBe(64);
  });

  it('embeds an empty text as the zero vector', () => {
    expect([...embedding.embedOne('')].every((value) => value === 0)).toBe(true);
  });

  it('ignores word order, case and repeats', () => {
    expect(embedding.embedOne('Seoul G5 xlarge seoul')).toEqual(embedding.embedOne('xlarge g5 SEOUL'));
  });

  it.each([
    ['서울 g5 xlarge', 'seoul g5 xlarge'],
    ['서울에서 g5 xlarge', 'seoul g5 xlarge'],
    ['그래픽카드', 'gpu'],
    ['그래픽카드 싼 거', 'cheap gpu'],
    ['엔비디아 T4 판교', 'nvidia t4 pangyo'],
    ['도쿄 메모리', 'tokyo memory'],
    ['아마존 버지니아', 'amazon virginia'],
    ['우분투 22.04', 'ubuntu 22.04'],
  ])('embeds Korean "%s" exactly as "%s"', (korean, english) => {
    expect(embedding.embedOne(korean)).toEqual(embedding.embedOne(english));
  });

  it('matches one-syllable aliases as whole words only', () => {
    expect(embeddingTokens('램 16').words).toEqual(['16', 'memory']);
    expect(embeddingTokens('프로그램').words).toEqual(['프로그램']);
    expect(embeddingTokens('인도네시아').words).toEqual(['indonesia']);
  });

  it('keeps compounds and their parts', () => {
    expect(embeddingTokens('aws+ap-northeast-2+g5.xlarge')).toEqual({
      words: ['2', 'ap', 'aws', 'g5', 'northeast', 'xlarge'],
      compounds: ['aws+ap-northeast-2+g5.xlarge'],
    });
  });

  it('has a small alias table of lower-case keys', () => {
    const keys = Object.keys(EMBEDDING_ALIASES);
    expect(keys.length).toBeLessThan(120);
    expect(keys.every((key) => key === key.toLowerCase())).toBe(true);
  });

  it('puts near spellings closer than unrelated text', () => {
    const query = embedding.embedOne('g5 xlarge seoul');
    const near = embedding.embedOne('aws ap-northeast-2 South Korea (Seoul) Seoul g5.xlarge g5 gpu A10G');
    const far = embedding.embedOne('gcp us-central1 Iowa Council Bluffs n2-standard-8 n2 cpu');
    expect(cosine(query, near)).toBeGreaterThan(cosine(query, far) + 0.2);
  });
});

describe('readCatalogConfig', () => {
  it('defaults to the local embedding', () => {
    expect(readCatalogConfig({})).toEqual({ embedding: 'local', dimensions: undefined });
    expect(embeddingFromConfig(readCatalogConfig({}))).toBeInstanceOf(LocalEmbedding);
    expect(
      readCatalogConfig({ S2A_CATALOG_EMBEDDING: ' ', S2A_CATALOG_EMBEDDING_DIMENSIONS: '128' }),
    ).toEqual({
      embedding: 'local',
      dimensions: 128,
    });
  });

  it('needs OPENAI_API_KEY for openai, and keeps the key out of JSON and messages', () => {
    expect(() => readCatalogConfig({ S2A_CATALOG_EMBEDDING: 'openai' })).toThrow(/needs OPENAI_API_KEY/);
    const config = readCatalogConfig({ S2A_CATALOG_EMBEDDING: 'openai', OPENAI_API_KEY: 'sk-secret-1' });
    expect(config.embedding).toBe('openai');
    if (config.embedding !== 'openai') return;
    expect(config.openai).toMatchObject({
      baseUrl: 'https://api.openai.com/v1',
      model: 'text-embedding-3-small',
      dimensions: 256,
    });
    expect(config.openai.apiKey).toBe('sk-secret-1');
    expect(JSON.stringify(config)).not.toContain('sk-secret-1');
    const embedding = embeddingFromConfig(config);
    expect(embedding.name).toBe('openai-text-embedding-3-small-256');
    expect(JSON.stringify(embedding)).not.toContain('sk-secret-1');
  });

  it('names the variable that is wrong', () => {
    expect(() => readCatalogConfig({ S2A_CATALOG_EMBEDDING: 'bert' })).toThrow(
      /S2A_CATALOG_EMBEDDING must be/,
    );
    expect(() => readCatalogConfig({ S2A_CATALOG_EMBEDDING_DIMENSIONS: '7' })).toThrow(
      /S2A_CATALOG_EMBEDDING_DIMENSIONS must be at least 16/,
    );
    expect(() =>
      readCatalogConfig({ S2A_CATALOG_EMBEDDING: 'openai', OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'nope' }),
    ).toThrow(/OPENAI_BASE_URL must be a URL/);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('Thu, 01 Jan 1970 00:00:05 GMT', 1000)).toBe(4000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

/** A local server speaking the OpenAI embeddings wire format. */
interface Recorded {
  method: string | undefined;
  url: string | undefined;
  authorization: string | undefined;
  contentType: string | undefined;
  body: { model: string; input: string[]; dimensions: number; encoding_format?: string };
}

describe('OpenAIEmbedding against a local server', () => {
  let server: Server;
  let baseUrl: string;
  const requests: Recorded[] = [];
  /** Per request: what to answer (status, headers); default 200 with embeddings. */
  let script: { status: number; headers?: Record<string, string>; body?: unknown }[] = [];

  function reply(request: IncomingMessage, response: ServerResponse, raw: string): void {
    const body = JSON.parse(raw) as Recorded['body'];
    requests.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.authorization,
      contentType: request.headers['content-type'],
      body,
    });
    const next = script.shift();
    if (next) {
      response.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      response.end(JSON.stringify(next.body ?? { error: { message: 'nope', type: 'error' } }));
      return;
    }
    // Answer out of order: the client must place vectors by `index`.
    const data = body.input
      .map((text, index) => ({
        object: 'embedding',
        index,
        embedding: Array.from({ length: body.dimensions }, (_, dim) => (text.length + dim) / 1000),
      }))
      .reverse();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        object: 'list',
        data,
        model: body.model,
        usage: { prompt_tokens: body.input.length, total_tokens: body.input.length },
      }),
    );
  }

  beforeAll(async () => {
    server = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
      });
      request.on('end', () => reply(request, response, raw));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    requests.length = 0;
    script = [];
  });

  const client = (options: Partial<ConstructorParameters<typeof OpenAIEmbedding>[0]> = {}) =>
    new OpenAIEmbedding({
      baseUrl,
      model: 'text-embedding-3-small',
      dimensions: 8,
      apiKey: 'sk-test-key',
      maxRetryDelayMs: 20,
      ...options,
    });

  it('POSTs {model, input, dimensions} with a bearer key and places vectors by index', async () => {
    const vectors = await client().embed(['a', 'bbb']);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: '/v1/embeddings',
      authorization: 'Bearer sk-test-key',
      contentType: 'application/json',
      body: { model: 'text-embedding-3-small', input: ['a', 'bbb'], dimensions: 8, encoding_format: 'float' },
    });
    expect(vectors).toHaveLength(2);
    expect(vectors[0]?.[0]).toBeCloseTo(0.001);
    expect(vectors[1]?.[0]).toBeCloseTo(0.003);
    expect(vectors[1]).toBeInstanceOf(Float32Array);
  });

  it('sends batches of batchSize', async () => {
    const vectors = await client({ batchSize: 2 }).embed(['a', 'b', 'c', 'd', 'e']);
    expect(requests.map((request) => request.body.input)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(vectors).toHaveLength(5);
  });

  it('waits retry-after on 429 and tries again', async () => {
    script = [
      { status: 429, headers: { 'retry-after': '0' }, body: { error: { message: 'Rate limit reached' } } },
      { status: 500, headers: { 'retry-after': '0' } },
    ];
    const vectors = await client().embed(['x']);
    expect(requests).toHaveLength(3);
    expect(vectors).toHaveLength(1);
  });

  it('gives up after maxRetries on 429', async () => {
    script = Array.from({ length: 5 }, () => ({ status: 429, headers: { 'retry-after': '0' } }));
    await expect(client({ maxRetries: 2 }).embed(['x'])).rejects.toThrow(/HTTP 429.*after 3 attempts/);
    expect(requests).toHaveLength(3);
  });

  it('says to check OPENAI_API_KEY on 401, without the key', async () => {
    script = [{ status: 401, body: { error: { message: 'Incorrect API key provided' } } }];
    const error = await client()
      .embed(['x'])
      .catch((caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/refused the API key \(401: Incorrect API key provided\)/);
    expect((error as Error).message).toMatch(/OPENAI_API_KEY/);
    expect((error as Error).message).not.toContain('sk-test-key');
    expect(requests).toHaveLength(1);
  });

  it('refuses vectors of the wrong size and answers that are not the wire format', async () => {
    script = [{ status: 200, body: { data: [{ embedding: [1, 2], index: 0 }], model: 'm' } }];
    await expect(client().embed(['x'])).rejects.toThrow(/got 2 dimensions, asked for 8/);
    script = [{ status: 200, body: { embeddings: [] } }];
    await expect(client().embed(['x'])).rejects.toThrow(/not \{data: \[\{embedding, index\}\]\}/);
  });
});
