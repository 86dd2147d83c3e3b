import { z } from 'zod';
import { PROVIDERS } from '../../drivers/spec/index.ts';
import { defineTool, READ_ONLY } from '../tool.ts';

export const ProviderOutputSchema = z.object({
  id: z.string().describe('Provider id, the first part of every region/spec/image id, e.g. "aws"'),
  displayName: z.string().describe('Human name, e.g. "Amazon Web Services"'),
  driver: z
    .string()
    .describe(
      'Which driver serves it: "sim" (the offline emulator; nothing real is created or billed) or a real cloud',
    ),
  regions: z.number().int().describe('Regions in the catalog'),
  specs: z.number().int().describe('VM specs (instance types) in the catalog, with prices where known'),
  images: z.number().int().describe('OS images in the catalog'),
  dataAsOf: z.string().describe('Date of the shipped data the rows come from (oldest source), ISO 8601'),
  refreshedAt: z
    .string()
    .nullable()
    .describe('When the rows were last refreshed from the driver; null when only the shipped data is used'),
});

export const listProviders = defineTool({
  name: 'listProviders',
  title: 'List cloud providers',
  description:
    'Lists the ten cloud providers s2a knows (aws, azure, gcp, alibaba, tencent, ibm, openstack, ncp, nhn, kt) with how many regions, specs and images the catalog holds for each, how fresh that data is, and which driver serves each one ("sim" means the offline emulator: nothing real is created or billed). ' +
    'Use it first to see what is available or to tell the person whether actions are simulated. ' +
    'Read-only. Next: searchRegions for where a provider runs, searchSpecs or recommendSpecs for VM types and prices.',
  input: z.object({}).describe('No arguments'),
  output: z.object({
    providers: z.array(ProviderOutputSchema).describe('One entry per provider, in the usual order'),
    totals: z
      .object({
        regions: z.number().int().describe('Regions of all providers'),
        specs: z.number().int().describe('Specs of all providers'),
        images: z.number().int().describe('Images of all providers'),
      })
      .describe('Sums over the providers'),
    allSimulated: z
      .boolean()
      .describe('True when every provider is served by the sim (nothing real is created)'),
  }),
  annotations: READ_ONLY,
  async handler(_input, services) {
    const catalog = await services.catalog();
    const [catalogProviders, rows] = await Promise.all([catalog.listProviders(), catalog.rowsByProvider()]);
    const byId = new Map(catalogProviders.map((provider) => [provider.id, provider]));
    // Only the driver's name leaves the connection: credentials never reach a model.
    const providers = PROVIDERS.map((id) => {
      const provider = byId.get(id);
      return {
        id,
        displayName: provider?.displayName ?? id,
        driver: services.runtime.connections[id].driver,
        regions: provider?.regions ?? 0,
        specs: provider?.specs ?? 0,
        images: rows[id].images,
        dataAsOf: provider?.dataAsOf ?? '',
        refreshedAt: provider?.refreshedAt ?? null,
      };
    });
    const totals = {
      regions: providers.reduce((sum, provider) => sum + provider.regions, 0),
      specs: providers.reduce((sum, provider) => sum + provider.specs, 0),
      images: providers.reduce((sum, provider) => sum + provider.images, 0),
    };
    const allSimulated = providers.every((provider) => provider.driver === 'sim');
    const lines = providers.map(
      (provider) =>
        `- ${provider.id} (${provider.displayName}), driver ${provider.driver}: ${provider.regions} regions, ${provider.specs} specs, data as of ${provider.dataAsOf || 'unknown'}${provider.refreshedAt ? `, refreshed ${provider.refreshedAt}` : ''}`,
    );
    return {
      structured: { providers, totals, allSimulated },
      text: [
        `${providers.length} providers, ${totals.regions} regions, ${totals.specs} specs${allSimulated ? '; all run on the sim (nothing real is created or billed)' : ''}:`,
        ...lines,
      ].join('\n'),
    };
  },
});
