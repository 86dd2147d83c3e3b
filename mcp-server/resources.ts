// Resources: read-only views a client can attach to a conversation.
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolServices } from './tool.ts';

function json(uri: string, value: unknown) {
  return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] };
}

export function registerResources(server: McpServer, services: ToolServices): void {
  server.registerResource(
    'mci',
    new ResourceTemplate('mci://{name}', {
      list: async () => {
        const mci = await services.mci();
        return {
          resources: (await mci.engine.listMcis()).map((summary) => ({
            uri: `mci://${summary.name}`,
            name: summary.name,
            title: `MCI ${summary.name}`,
            description: summary.description ?? `MCI ${summary.name}`,
            mimeType: 'application/json',
          })),
        };
      },
    }),
    {
      title: 'MCI',
      description:
        'One MCI: its nodes (provider, region, spec, status, addresses), status and installed apps.',
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      const name = String(variables.name ?? '');
      const mci = await services.mci();
      const view = await mci.engine.getMci(name);
      const { request: _request, ...rest } = view;
      return json(uri.href, { ...rest, apps: await mci.listApps(name) });
    },
  );
  server.registerResource(
    'providers',
    'catalog://providers',
    {
      title: 'Providers',
      description: 'The ten providers with region and spec counts and how fresh their catalog data is.',
      mimeType: 'application/json',
    },
    async (uri) => json(uri.href, await (await services.catalog()).listProviders()),
  );
}
