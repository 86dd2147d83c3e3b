// The stdio transport, for Claude Desktop and IDEs that start `s2a mcp` as a child process.
// stdout carries protocol messages only, so anything else a module prints goes to stderr. The server
// stops when the client closes stdin or the process is told to stop, and then closes what it opened.
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer } from './server.ts';
import type { ToolServices } from './tool.ts';

export interface StdioServerOptions {
  services: ToolServices;
  /** Default process.stdin / process.stdout. */
  input?: Readable;
  output?: Writable;
  /** Runs first when the server stops (e.g. stops background work). */
  beforeClose?: () => Promise<void> | void;
  /** Signals that stop the server. Default SIGTERM, SIGINT, SIGHUP. */
  signals?: readonly NodeJS.Signals[];
  /** Diagnostics, one line each; default stderr. */
  log?: (line: string) => void;
}

export interface StdioServer {
  /** Resolves once the server stopped and the runtime is closed. */
  closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * Sends console.log/info/debug to stderr: a stray line on stdout would corrupt the protocol stream.
 * Returns a function that puts them back.
 */
export function keepStdoutForProtocol(): () => void {
  const saved = { log: console.log, info: console.info, debug: console.debug };
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  return () => Object.assign(console, saved);
}

export async function serveStdio(options: StdioServerOptions): Promise<StdioServer> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const log = options.log ?? ((line: string) => process.stderr.write(`s2a mcp: ${line}\n`));
  const restoreConsole = output === process.stdout ? keepStdoutForProtocol() : () => undefined;
  const { services } = options;
  const server = createMcpServer(services);
  const transport = new StdioServerTransport(input, output);

  let closing: Promise<void> | undefined;
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  const signals = options.signals ?? ['SIGTERM', 'SIGINT', 'SIGHUP'];
  const onSignal = (signal: NodeJS.Signals) => {
    if (!closing) log(`${signal}: stopping`);
    void close();
  };
  const onInputEnd = () => void close();

  function close(): Promise<void> {
    closing ??= (async () => {
      input.off('end', onInputEnd);
      input.off('close', onInputEnd);
      try {
        await options.beforeClose?.();
      } catch (error) {
        log(`stopping background work failed: ${(error as Error).message}`);
      }
      // The runtime closes before the server: engine.close() hands running MCI operations back to the
      // journal (a later process resumes them) instead of the aborted requests cancelling them.
      await services.tasks.close();
      await services.runtime.close();
      await server.close().catch(() => undefined);
      // Signals stay handled until here: a second SIGTERM must not cut the store's close short.
      for (const signal of signals) process.off(signal, onSignal);
      restoreConsole();
      markClosed();
    })();
    return closing;
  }

  for (const signal of signals) process.on(signal, onSignal);
  input.on('end', onInputEnd);
  input.on('close', onInputEnd);
  await server.connect(transport);
  // The client may have gone before we listened; then nothing more will arrive.
  if (input.readableEnded || input.destroyed) void close();
  return { closed, close };
}
