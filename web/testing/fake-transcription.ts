// A local stand-in for OpenAI's POST /v1/audio/transcriptions, speaking its wire format: a multipart
// form with `file` and `model` (and optional `language`, `response_format`), a bearer key, JSON {text}
// back. Tests read what it received and set what it answers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake saw of one request, decoded from the multipart form. */
export interface SeenTranscription {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  model: string | undefined;
  language: string | undefined;
  fileName: string | undefined;
  fileType: string | undefined;
  fileBytes: Uint8Array | undefined;
}

export interface FakeTranscription {
  /** The base URL to configure, ending in /v1. */
  baseURL: string;
  seen: SeenTranscription[];
  /** The next answers' status and JSON body (default 200 {text: "hello"}). */
  reply: { status: number; body: unknown };
  close(): Promise<void>;
}

export async function startFakeTranscription(): Promise<FakeTranscription> {
  const fake = {
    baseURL: '',
    seen: [] as SeenTranscription[],
    reply: { status: 200, body: { text: 'hello' } as unknown },
    close: async () => undefined,
  };
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const form = await new Request('http://fake/', {
        method: 'POST',
        headers: { 'content-type': incoming.headers['content-type'] ?? '' },
        body: Buffer.concat(chunks),
      })
        .formData()
        .catch(() => undefined);
      const file = form?.get('file');
      const model = form?.get('model');
      const language = form?.get('language');
      fake.seen.push({
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        authorization: incoming.headers.authorization,
        contentType: incoming.headers['content-type'],
        model: typeof model === 'string' ? model : undefined,
        language: typeof language === 'string' ? language : undefined,
        fileName: file instanceof File ? file.name : undefined,
        fileType: file instanceof File ? file.type : undefined,
        fileBytes: file instanceof File ? new Uint8Array(await file.arrayBuffer()) : undefined,
      });
      if (incoming.method !== 'POST' || incoming.url !== '/v1/audio/transcriptions' || !file || !model) {
        outgoing.writeHead(400, { 'Content-Type': 'application/json' });
        outgoing.end(
          JSON.stringify({
            error: { message: "'file' and 'model' are required", type: 'invalid_request_error' },
          }),
        );
        return;
      }
      outgoing.writeHead(fake.reply.status, { 'Content-Type': 'application/json' });
      outgoing.end(JSON.stringify(fake.reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = () =>
    new Promise<undefined>((resolve) => {
      server.close(() => resolve(undefined));
      server.closeAllConnections();
    });
  return fake;
}
