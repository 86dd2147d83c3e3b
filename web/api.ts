/**
 * The web API under /api, web-standard (Request → Response) so tests call it without a socket.
 * Every route checks Host and Origin first (a page on another site must not drive s2a through the
 * person's browser); /api/mcp is the MCP Streamable HTTP endpoint, the same as `s2a serve`'s.
 */
import { checkHostAndOrigin, handleMcpHttpRequest } from '../mcp-server/http.ts';
import { handleCatalogSpecs } from './catalog-api.ts';
import { conversationView, handleChat } from './chat.ts';
import type { ApiHandler, WebContext } from './context.ts';
import { handleGetMci, handleListMcis, handleMciAction } from './dashboard-api.ts';
import { json, jsonError } from './responses.ts';
import { handleTranscribe, transcriptionConfigured } from './transcribe.ts';

interface Route {
  method: string;
  /** Segments after /api; ":name" captures one segment. */
  path: string;
  handler: ApiHandler;
}

const ROUTES: Route[] = [
  { method: 'POST', path: 'chat', handler: (request, context) => handleChat(request, context.agent) },
  {
    method: 'GET',
    path: 'config',
    handler: async (_request, context) =>
      json({
        planner: context.agent.planner.name,
        transcription: transcriptionConfigured(context.environment),
        readOnly: context.mcpConfig.readOnly,
        maxCostPerHour: context.mcpConfig.maxCostPerHour,
      }),
  },
  {
    method: 'GET',
    path: 'conversations',
    handler: async (_request, context) => json(await context.agent.conversations.list()),
  },
  {
    method: 'GET',
    path: 'conversations/:id',
    handler: async (_request, context, params) => {
      const conversation = await context.agent.conversations.get(params.id ?? '');
      if (!conversation)
        return jsonError(404, 'NOT_FOUND', `no conversation ${params.id}`, 'Start a new chat.');
      return json(conversationView(conversation));
    },
  },
  { method: 'GET', path: 'mcis', handler: handleListMcis },
  { method: 'GET', path: 'mcis/:name', handler: handleGetMci },
  { method: 'POST', path: 'mcis/:name/actions', handler: handleMciAction },
  { method: 'GET', path: 'catalog/specs', handler: handleCatalogSpecs },
  { method: 'POST', path: 'transcribe', handler: handleTranscribe },
];

function match(route: Route, segments: string[]): Record<string, string> | undefined {
  const pattern = route.path.split('/');
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index] ?? '';
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
    } else if (part !== segment) return undefined;
  }
  return params;
}

/** Answers a request whose path starts with /api. */
export async function handleApiRequest(request: Request, context: WebContext): Promise<Response> {
  const url = new URL(request.url);
  const rest = url.pathname.replace(/^\/api\/?/, '').replace(/\/$/, '');
  if (rest === 'mcp') return handleMcpHttpRequest(request, context.services, context.mcpConfig);
  const guard = checkHostAndOrigin(request, context.mcpConfig);
  if ('refused' in guard) return guard.refused;
  const segments = rest === '' ? [] : rest.split('/');
  let pathMatched = false;
  for (const route of ROUTES) {
    const params = match(route, segments);
    if (!params) continue;
    pathMatched = true;
    if (route.method !== request.method) continue;
    try {
      return await route.handler(request, context, params);
    } catch (error) {
      return jsonError(
        500,
        'INTERNAL',
        error instanceof Error ? error.message : String(error),
        'Retry; if it keeps failing, see the server log.',
      );
    }
  }
  return pathMatched
    ? jsonError(
        405,
        'METHOD_NOT_ALLOWED',
        `${request.method} is not supported here`,
        'See web/README.md for the API.',
      )
    : jsonError(404, 'NOT_FOUND', `no API at ${url.pathname}`, 'See web/README.md for the API.');
}
