// The MCP server over its real transports: `s2a mcp` as a stdio child process, Streamable HTTP
// (in-process and `s2a serve` as a child), both at once on one store, and the MCP inspector's CLI as
// a client nobody here wrote.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from './config.ts';
import { handleMcpHttpRequest, type McpHttpServer, startMcpHttpServer } from './http.ts';
import { type McpTestServer, openMcpTestServer } from './testing/mcp-test-kit.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SPEC = 'aws+ap-northeast-2+t3.medium';
const TOKEN = 'a-test-token-that-is-long-enough-0123456789';

/** One home for the child processes of this file: the catalog index is built once, by searchSpecs. */
let home: string;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 's2a-transports-'));
});
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  rmSync(home, { recursive: true, force: true });
});

/** The environment of an s2a child: its home, a fast sim, and none of the caller's MCP settings. */
function childEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('S2A_')) environment[name] = value;
  }
  return {
    ...environment,
    S2A_HOME: home,
    S2A_SIM_TIME_SCALE: '0.001',
    S2A_SIM_RATE_LIMITS: 'off',
    ...extra,
  };
}

async function connectStdio(): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['bin/s2a.mjs', 'mcp'],
    cwd: ROOT,
    env: childEnvironment(),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: 's2a-stdio-test', version: '1.0.0' });
  await client.connect(transport);
  cleanups.push(() => client.close());
  return { client, stderr: () => stderr };
}

async function connectHttp(url: string, token?: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    ...(token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : {}),
  });
  const client = new Client({ name: 's2a-http-test', version: '1.0.0' });
  await client.connect(transport);
  cleanups.push(() => client.close());
  return client;
}

/** createMCI with confirm and wait, counting the progress notifications that arrive. */
async function createAndWait(client: Client, name: string) {
  const progress: string[] = [];
  const result = (await client.callTool(
    {
      name: 'createMCI',
      arguments: {
        name,
        nodeGroups: [{ name: 'web', specId: SPEC, size: 1 }],
        confirm: true,
        wait: true,
      },
    },
    undefined,
    {
      onprogress: (notification) => progress.push(notification.message ?? ''),
      timeout: 180_000,
    },
  )) as CallToolResult;
  if (result.isError) throw new Error(`createMCI failed: ${JSON.stringify(result.content)}`);
  const structured = result.structuredContent as { operation: { status: string }; mciStatus: string | null };
  return { structured, progress };
}

async function mciStatusThrough(client: Client, name: string): Promise<string> {
  const listed = await client.listResources();
  expect(listed.resources.map((resource) => resource.uri)).toContain(`mci://${name}`);
  const read = await client.readResource({ uri: `mci://${name}` });
  const first = read.contents[0];
  if (!first || !('text' in first)) throw new Error('mci resource without text');
  return (JSON.parse(first.text) as { status: string }).status;
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw POST of `initialize`, with headers fetch would not let us set (Host). */
function rawInitialize(url: string, headers: Record<string, string>): Promise<RawResponse> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  });
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
          ...headers,
        },
      },
      (incoming) => {
        let text = '';
        incoming.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        incoming.on('end', () =>
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: text }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Starts `s2a serve --port 0` and resolves with the URL it prints. */
function startServeChild(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['bin/s2a.mjs', 'serve', '--port', '0'], {
    cwd: ROOT,
    env: childEnvironment(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /(http:\/\/\S+\/mcp)/.exec(stdout);
      if (match?.[1]) resolve({ url: match[1], child });
    });
    child.once('exit', (code) => reject(new Error(`s2a serve exited ${code}: ${stderr}`)));
  });
}

describe('stdio: `s2a mcp` as a child process', () => {
  it('lists the tools and creates an MCI with wait, sending progress, ending Running', async () => {
    const { client, stderr } = await connectStdio();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['createMCI', 'searchSpecs']));
    const { structured, progress } = await createAndWait(client, 'stdio-web');
    expect(structured.operation.status, stderr()).toBe('succeeded');
    expect(structured.mciStatus).toMatch(/^Running:1/);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.join('\n')).toMatch(/stdio-web/);
  }, 180_000);

  it('stops by itself, exit code 0, when the client closes stdin', async () => {
    const child = spawn(process.execPath, ['bin/s2a.mjs', 'mcp'], {
      cwd: ROOT,
      env: childEnvironment(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const answered = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) resolve();
      });
    });
    child.stdin.write(
      `${JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'raw', version: '1' },
        },
      })}\n`,
    );
    await answered;
    child.stdin.end();
    const { code, signal } = await exited;
    expect({ code, signal }, stderr).toEqual({ code: 0, signal: null });
    // Nothing but protocol on stdout: every line is a JSON-RPC message.
    for (const line of stdout.split('\n').filter((item) => item.length > 0)) {
      expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    }
    expect(JSON.parse(stdout.split('\n')[0] ?? '')).toMatchObject({
      id: 1,
      result: { serverInfo: { name: 's2a' } },
    });
    expect(stderr).not.toMatch(/SIGTERM/);
  }, 60_000);
});

describe('Streamable HTTP on 127.0.0.1', () => {
  let server: McpTestServer;
  let open: McpHttpServer;
  let guarded: McpHttpServer;

  beforeAll(async () => {
    server = await openMcpTestServer({ config: { host: '127.0.0.1', port: 0 } });
    cleanups.push(() => server.close());
    open = await startMcpHttpServer({ services: server.services });
    cleanups.push(() => open.close());
    guarded = await startMcpHttpServer({
      services: server.services,
      config: { ...server.services.config, token: TOKEN },
    });
    cleanups.push(() => guarded.close());
  });

  it('serves at /mcp on a loopback address', () => {
    expect(open.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(open.port).toBeGreaterThan(0);
  });

  it('creates an MCI with wait, streaming progress, ending Running', async () => {
    const client = await connectHttp(open.url);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('createMCI');
    const { structured, progress } = await createAndWait(client, 'http-web');
    expect(structured.operation.status).toBe('succeeded');
    expect(structured.mciStatus).toMatch(/^Running:1/);
    expect(progress.length).toBeGreaterThan(0);
  }, 180_000);

  it('with a token: none → 401, a wrong one → 401, the right one works', async () => {
    const none = await rawInitialize(guarded.url, {});
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer realm="s2a"/);
    const wrong = await rawInitialize(guarded.url, { Authorization: `Bearer ${TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toMatch(/invalid_token/);
    expect(wrong.body).not.toContain(TOKEN);
    const right = await rawInitialize(guarded.url, { Authorization: `Bearer ${TOKEN}` });
    expect(right.status).toBe(200);
    const client = await connectHttp(guarded.url, TOKEN);
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(0);
    await expect(connectHttp(guarded.url, 'not-the-token')).rejects.toThrow();
  });

  it('refuses browser origins other than its own (DNS rebinding) with 403', async () => {
    const evil = await rawInitialize(open.url, { Origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    expect(evil.body).toMatch(/S2A_MCP_ALLOWED_ORIGINS/);
    const nullOrigin = await rawInitialize(open.url, { Origin: 'null' });
    expect(nullOrigin.status).toBe(403);
    // A rebinding page's requests name its own host: refused on a loopback bind.
    const rebound = await rawInitialize(open.url, {
      Host: `evil.example:${open.port}`,
      Origin: `http://evil.example:${open.port}`,
    });
    expect(rebound.status).toBe(403);
    const ownOrigin = await rawInitialize(open.url, { Origin: `http://127.0.0.1:${open.port}` });
    expect(ownOrigin.status).toBe(200);
    const localhost = await rawInitialize(open.url, { Origin: `http://localhost:${open.port}` });
    expect(localhost.status).toBe(200);
    const otherPort = await rawInitialize(open.url, { Origin: `http://localhost:${open.port + 1}` });
    expect(otherPort.status).toBe(403);
  });

  it('allows origins listed in S2A_MCP_ALLOWED_ORIGINS, with CORS headers', async () => {
    const listed = await startMcpHttpServer({
      services: server.services,
      config: { ...server.services.config, allowedOrigins: ['https://console.example.com'] },
    });
    cleanups.push(() => listed.close());
    const response = await rawInitialize(listed.url, { Origin: 'https://console.example.com' });
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe('https://console.example.com');
  });

  it('serves a web-standard Request as the Next.js route will (any path, SSE response)', async () => {
    const response = await handleMcpHttpRequest(
      new Request('http://localhost:3000/api/mcp', {
        method: 'POST',
        headers: {
          Host: 'localhost:3000',
          Origin: 'http://localhost:3000',
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 7,
          method: 'initialize',
          params: {
            protocolVersion: '2025-06-18',
            capabilities: {},
            clientInfo: { name: 'app', version: '1' },
          },
        }),
      }),
      server.services,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await response.text();
    const data = /^data: (.+)$/m.exec(text)?.[1];
    expect(JSON.parse(data ?? '{}')).toMatchObject({ id: 7, result: { serverInfo: { name: 's2a' } } });
  });

  it('answers GET with 405 (stateless: no standing stream) and other paths with 404', async () => {
    expect((await fetch(open.url, { headers: { Accept: 'text/event-stream' } })).status).toBe(405);
    expect((await fetch(open.url.replace(/\/mcp$/, '/other'))).status).toBe(404);
  });

  it('refuses to bind beyond loopback without a token', async () => {
    await expect(
      startMcpHttpServer({
        services: server.services,
        config: { ...server.services.config, host: '0.0.0.0', token: undefined },
      }),
    ).rejects.toThrow(ConfigError);
    await expect(
      startMcpHttpServer({
        services: server.services,
        config: { ...server.services.config, host: '0.0.0.0', token: undefined },
      }),
    ).rejects.toThrow(/S2A_MCP_TOKEN/);
    const cli = spawnSync(process.execPath, ['bin/s2a.mjs', 'serve', '--host', '0.0.0.0', '--port', '0'], {
      cwd: ROOT,
      env: childEnvironment(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toMatch(/S2A_MCP_TOKEN/);
  }, 60_000);
});

describe('stdio and HTTP servers at the same time on one S2A_HOME', () => {
  it('an MCI created through one is visible through the other', async () => {
    const [{ client: stdio }, served] = await Promise.all([connectStdio(), startServeChild()]);
    const http = await connectHttp(served.url);
    await createAndWait(stdio, 'both-a');
    expect(await mciStatusThrough(http, 'both-a')).toMatch(/^Running:1/);
    await createAndWait(http, 'both-b');
    expect(await mciStatusThrough(stdio, 'both-b')).toMatch(/^Running:1/);
    await http.close();
    const exited = new Promise<number | null>((resolve) =>
      served.child.once('exit', (code) => resolve(code)),
    );
    served.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 240_000);
});

describe('the MCP inspector CLI against `s2a mcp`', () => {
  const inspector = (args: string[]) => {
    // inspector-cli 1.0.3 finds its own package.json at "../package.json" relative to the working
    // directory, so it runs from a folder one below the repository root.
    const result = spawnSync(
      join(ROOT, 'node_modules/.bin/mcp-inspector-cli'),
      ['--cli', process.execPath, join(ROOT, 'bin/s2a.mjs'), 'mcp', ...args],
      { cwd: join(ROOT, 'mcp-server'), env: childEnvironment(), encoding: 'utf8', timeout: 180_000 },
    );
    if (result.status !== 0) {
      throw new Error(`inspector exited ${result.status}: ${result.stderr}\n${result.stdout}`);
    }
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };

  beforeAll(async () => {
    // searchSpecs builds the catalog index on first use, which can outlast the inspector's fixed 60 s
    // request timeout on a busy machine; our own client builds it first, with no such limit.
    const { client } = await connectStdio();
    const warm = (await client.callTool({ name: 'searchSpecs', arguments: { limit: 1 } }, undefined, {
      timeout: 600_000,
    })) as CallToolResult;
    expect(warm.isError).toBeFalsy();
    await client.close();
  }, 600_000);

  it('lists the tools', () => {
    const listed = inspector(['--method', 'tools/list']) as {
      tools: { name: string; outputSchema?: unknown }[];
    };
    const names = listed.tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['searchSpecs', 'createMCI']));
    expect(listed.tools.every((tool) => tool.outputSchema !== undefined)).toBe(true);
  }, 180_000);

  it('calls searchSpecs and prints its result as JSON', () => {
    const called = inspector([
      '--method',
      'tools/call',
      '--tool-name',
      'searchSpecs',
      '--tool-arg',
      'minVcpu=2',
      'maxPricePerHour=0.2',
      'providers=["aws"]',
      'limit=3',
    ]) as { isError?: boolean; structuredContent: { count: number; results: { specId?: string }[] } };
    expect(called.isError).toBeFalsy();
    expect(called.structuredContent.count).toBeGreaterThan(0);
    expect(called.structuredContent.count).toBeLessThanOrEqual(3);
  }, 180_000);
});
