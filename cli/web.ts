// `s2a start` (`npm start`): builds the web UI when needed, then serves it, its API and MCP at
// /api/mcp on http://127.0.0.1:3000 until Ctrl-C.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Runtime } from '../runtime/runtime.ts';
import { ensureWebBuild } from '../web/build.ts';
import { startWebServer } from '../web/server.ts';
import { type CliOptions, waitForStopSignal } from './usage.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function commandWeb(runtime: Runtime, _options: CliOptions): Promise<number> {
  const log = (line: string) => process.stderr.write(`s2a: ${line}\n`);
  const built = await ensureWebBuild(ROOT, (line) => process.stderr.write(`  next: ${line}\n`)).catch(
    (error: unknown) => {
      throw new Error(
        `${(error as Error).message}\nThe UI did not build; run "npx next build" to see why, or use "s2a chat" meanwhile.`,
      );
    },
  );
  if (built) log('web UI built');
  const server = await startWebServer({ runtime, dir: ROOT, log });
  const planner = server.context.agent.planner.name;
  console.log(`s2a is running at ${server.url}`);
  log(
    `planner: ${planner}; clouds: ${Object.values(runtime.connections).every((connection) => connection.driver === 'sim') ? 'all simulated' : 'see S2A_CONNECTIONS'}; MCP at ${server.url}/api/mcp; state in ${runtime.store.location}. Stop with Ctrl-C.`,
  );
  const signal = await waitForStopSignal();
  log(`${signal}: stopping`);
  await server.close();
  return 0;
}
