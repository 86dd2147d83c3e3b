// The public Retail Prices API: no credentials, JSON pages of 100 (or 1000) items.
import { get } from 'node:https';
import { ProviderError } from '../spec/index.ts';
import { type RetailPriceItem, RetailPriceItemSchema, RetailPricePageSchema } from './convert-catalog.ts';

/** Pages followed at most: a large region's VM meters fill about 60 pages of 100. */
const MAX_PAGES = 150;

function getJson(url: string, ca: string | undefined): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = get(url, { ...(ca ? { ca } : {}), timeout: 30_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((response.statusCode ?? 500) >= 400) {
          reject(
            new ProviderError(`Retail Prices API answered ${response.statusCode}`, {
              retryable: (response.statusCode ?? 500) >= 429,
              context: { provider: 'azure', operation: 'listSpecs' },
            }),
          );
          return;
        }
        try {
          resolve(JSON.parse(text));
        } catch (error) {
          reject(error);
        }
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('Retail Prices API timed out')));
    request.on('error', reject);
  });
}

/** Pay-as-you-go VM meters of one region (all operating systems; pricesBySku picks Linux). */
export async function fetchRetailPrices(
  endpoint: string,
  region: string,
  options: { ca?: string } = {},
): Promise<RetailPriceItem[]> {
  const filter = `serviceName eq 'Virtual Machines' and armRegionName eq '${region}' and priceType eq 'Consumption'`;
  let url: string | undefined = `${endpoint}?currencyCode='USD'&$filter=${encodeURIComponent(filter)}`;
  const items: RetailPriceItem[] = [];
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const parsed = RetailPricePageSchema.safeParse(await getJson(url, options.ca));
    if (!parsed.success) break;
    for (const item of parsed.data.Items) {
      const entry = RetailPriceItemSchema.safeParse(item);
      if (entry.success) items.push(entry.data);
    }
    url = parsed.data.NextPageLink ?? undefined;
  }
  return items;
}
