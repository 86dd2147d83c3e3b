// `s2a mcp` (the MCP server over stdio) and `s2a serve` (over Streamable HTTP at /mcp). Both take
// over the work of processes that died and keep node statuses fresh while they run; both may run at
// the same time as each other and the web app, on one store.
import type { BackgroundWork, MciService } from '../mci/service.ts';
import { mcpConfigFromEnvironment } from '../mcp-server/config.ts';
import { startMcpHttpServer } from '../mcp-server/http.ts';
import { createToolServices } from '../mcp-server/server.ts';
import { serveStdio } from '../mcp-server/stdio.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { type CliOptions, UsageError, waitForStopSignal } from './usage.ts';

function logToStderr(prefix: string): (line: string) => void {
  return (line) => process.stderr.write(`${prefix}: ${line}\n`);
}

const NO_BACKGROUND_WORK = { stop: async () => undefined };

/**
 * Recovery of dead processes' operations and the status refresher. A failure here is logged, not
 * fatal: the catalog tools still serve, and the MCI tools report the engine's error themselves.
 */
async function startBackgroundWork(
  runtime: Runtime,
  log: (line: string) => void,
): Promise<Pick<BackgroundWork, 'stop'>> {
  let service: MciService;
  try {
    service = await runtime.mci();
  } catch (error) {
    log(`the MCI engine did not start, so MCI tools will fail: ${(error as Error).message}`);
    return NO_BACKGROUND_WORK;
  }
  const work = service.startBackgroundWork({
    onError: (error) => log(`recovering operations failed (retried later): ${(error as Error).message}`),
  });
  work.recovered.then(
    (ids) => {
      if (ids.length > 0) log(`took over ${ids.length} unfinished operation(s): ${ids.join(', ')}`);
    },
    () => undefined,
  );
  return work;
}

export async function commandMcp(runtime: Runtime, _options: CliOptions): Promise<number> {
  const log = logToStderr('s2a mcp');
  const services = createToolServices(runtime, mcpConfigFromEnvironment(process.env));
  // The client's initialize is answered first; the engine loads while it lists tools.
  let stopping = false;
  let background: Pick<BackgroundWork, 'stop'> | undefined;
  const server = await serveStdio({
    services,
    log,
    beforeClose: async () => {
      stopping = true;
      await background?.stop();
    },
  });
  if (!stopping) background = await startBackgroundWork(runtime, log);
  // Stopped while the engine loaded: beforeClose found nothing to stop yet.
  if (stopping) await background?.stop();
  await server.closed;
  return 0;
}

function parsePort(value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || port > 65_535) {
    throw new UsageError('--port must be a port number, 0 to 65535 (0 picks a free one)');
  }
  return port;
}

export async function commandServe(runtime: Runtime, options: CliOptions): Promise<number> {
  const log = logToStderr('s2a serve');
  const port = parsePort(options.values.port);
  const host = options.values.host;
  if (host !== undefined && (typeof host !== 'string' || host.trim() === '')) {
    throw new UsageError('--host needs an address, e.g. --host 127.0.0.1');
  }
  const config = mcpConfigFromEnvironment(process.env, {
    ...(typeof host === 'string' ? { host } : {}),
    ...(port !== undefined ? { port } : {}),
  });
  const services = createToolServices(runtime, config);
  // Refuses an exposed bind without a token before any work starts.
  const server = await startMcpHttpServer({ services, config, log });
  const background = await startBackgroundWork(runtime, log);
  console.log(`s2a MCP server: ${server.url}`);
  log(
    `${config.token ? 'bearer token required' : 'no token (loopback only)'}; ${config.readOnly ? 'read-only tools' : 'all tools'}; state in ${runtime.store.location}. Stop with Ctrl-C.`,
  );
  const signal = await waitForStopSignal();
  log(`${signal}: stopping`);
  await server.close();
  await background.stop();
  // Running MCI operations go back to the journal with the runtime; a later process resumes them.
  await services.tasks.close();
  await runtime.close();
  return 0;
}
