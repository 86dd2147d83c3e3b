// A WebContext over a fast sim in a temporary S2A_HOME, for calling API handlers without a socket.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAgent } from '../../agent/open-agent.ts';
import { mcpConfigFromEnvironment } from '../../mcp-server/config.ts';
import { createToolServices } from '../../mcp-server/server.ts';
import { FAST_SIM } from '../../mcp-server/testing/mcp-test-kit.ts';
import { Runtime } from '../../runtime/runtime.ts';
import type { WebContext } from '../context.ts';

export interface WebTestContext {
  home: string;
  context: WebContext;
  close(): Promise<void>;
}

export async function openWebTestContext(): Promise<WebTestContext> {
  const home = mkdtempSync(join(tmpdir(), 's2a-web-'));
  const environment = { S2A_SECRET: 'a test passphrase of enough length' };
  const runtime = await Runtime.open({
    home,
    environment,
    sim: { ...FAST_SIM, account: 'default' },
    // The engine polls VMs every 2 s by default, unscaled: far longer than a fast sim's boot.
    engine: { pollIntervalMs: 50 },
  });
  const mcpConfig = mcpConfigFromEnvironment({});
  const services = createToolServices(runtime, mcpConfig);
  const agent = await openAgent({ runtime, services, environment, planner: 'offline' });
  const context: WebContext = { runtime, services, mcpConfig, agent, tools: agent.tools, environment };
  return {
    home,
    context,
    async close() {
      await agent.close();
      await services.tasks.close();
      await runtime.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A request to the API as the browser on the same machine sends it. */
export function apiRequest(path: string, init: { method?: string; body?: unknown } = {}): Request {
  return new Request(`http://127.0.0.1:3000/api/${path}`, {
    method: init.method ?? 'GET',
    headers: { 'Content-Type': 'application/json' },
    ...(init.body !== undefined
      ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }
      : {}),
  });
}
