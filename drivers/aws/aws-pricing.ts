// On-demand prices from the AWS Price List API (@aws-sdk/client-pricing, loaded on first use).
import type { AwsConnection } from './aws-config.ts';
import type { PriceFacts } from './convert-catalog.ts';

/** Prices of one region by instance type; `close` releases the fetcher's client, if it has one. */
export type PriceFetcher = ((region: string) => Promise<Map<string, PriceFacts>>) & { close?: () => void };

/** The Price List API answers only in a few regions; us-east-1 serves every region's prices. */
const PRICING_REGION = 'us-east-1';

/** Linux, shared tenancy, no pre-installed software: the price of what s2a launches. */
export function priceFilters(region: string) {
  const match = (Field: string, Value: string) => ({ Type: 'TERM_MATCH' as const, Field, Value });
  return [
    match('regionCode', region),
    match('operatingSystem', 'Linux'),
    match('tenancy', 'Shared'),
    match('preInstalledSw', 'NA'),
    match('capacitystatus', 'Used'),
    match('licenseModel', 'No License required'),
  ];
}

interface PriceListProduct {
  product?: { attributes?: { instanceType?: string } };
  terms?: {
    OnDemand?: Record<
      string,
      { priceDimensions?: Record<string, { unit?: string; pricePerUnit?: { USD?: string } }> }
    >;
  };
}

/** One GetProducts entry (a JSON string) → instance type and USD per hour, if it has both. */
export function parsePriceListEntry(entry: string): [string, number] | undefined {
  let product: PriceListProduct;
  try {
    product = JSON.parse(entry) as PriceListProduct;
  } catch {
    return undefined;
  }
  const instanceType = product.product?.attributes?.instanceType;
  for (const term of Object.values(product.terms?.OnDemand ?? {})) {
    for (const dimension of Object.values(term.priceDimensions ?? {})) {
      const price = Number(dimension.pricePerUnit?.USD);
      if (instanceType && dimension.unit === 'Hrs' && Number.isFinite(price) && price > 0)
        return [instanceType, price];
    }
  }
  return undefined;
}

/** Fetches with the connection's credentials; a region's prices are fetched once per driver. */
export function priceListFetcher(
  settings: Pick<AwsConnection, 'credentials' | 'profile' | 'maxAttempts' | 'pricingEndpoint'>,
): PriceFetcher {
  const cache = new Map<string, Promise<Map<string, PriceFacts>>>();
  let clientLoading:
    | Promise<{
        client: import('@aws-sdk/client-pricing').PricingClient;
        sdk: typeof import('@aws-sdk/client-pricing');
      }>
    | undefined;
  const load = () => {
    clientLoading ??= import('@aws-sdk/client-pricing').then((sdk) => ({
      sdk,
      client: new sdk.PricingClient({
        region: PRICING_REGION,
        ...(settings.pricingEndpoint ? { endpoint: settings.pricingEndpoint } : {}),
        ...(settings.credentials ? { credentials: settings.credentials } : {}),
        ...(settings.profile ? { profile: settings.profile } : {}),
        ...(settings.maxAttempts ? { maxAttempts: settings.maxAttempts } : {}),
        requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000 },
      }),
    }));
    return clientLoading;
  };
  const fetcher: PriceFetcher = (region) => {
    let prices = cache.get(region);
    if (!prices) {
      prices = (async () => {
        const { sdk, client } = await load();
        const byType = new Map<string, PriceFacts>();
        let NextToken: string | undefined;
        do {
          const page = await client.send(
            new sdk.GetProductsCommand({
              ServiceCode: 'AmazonEC2',
              Filters: priceFilters(region),
              MaxResults: 100,
              ...(NextToken ? { NextToken } : {}),
            }),
          );
          for (const entry of page.PriceList ?? []) {
            const parsed = parsePriceListEntry(entry);
            // Spot prices change by the minute and are not in the Price List: they stay null.
            if (parsed) byType.set(parsed[0], { pricePerHour: parsed[1], spotPricePerHour: null });
          }
          NextToken = page.NextToken;
        } while (NextToken);
        return byType;
      })();
      prices.catch(() => cache.delete(region));
      cache.set(region, prices);
    }
    return prices;
  };
  fetcher.close = () => {
    clientLoading?.then(({ client }) => client.destroy()).catch(() => undefined);
  };
  return fetcher;
}
