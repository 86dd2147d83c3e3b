import { describe, expect, it } from 'vitest';
import { parsePriceListEntry, priceFilters } from './aws-pricing.ts';

// One GetProducts PriceList entry, trimmed to the fields the Price List API documents and we read.
const ENTRY = JSON.stringify({
  product: {
    productFamily: 'Compute Instance',
    attributes: { instanceType: 't3.micro', regionCode: 'ap-northeast-2' },
  },
  terms: {
    OnDemand: {
      'ABC.JRTCKXETXF': {
        priceDimensions: {
          'ABC.JRTCKXETXF.6YS6EN2CT7': { unit: 'Hrs', pricePerUnit: { USD: '0.0130000000' } },
        },
      },
    },
  },
});

describe('Price List entries', () => {
  it('reads the on-demand hourly USD price of an instance type', () => {
    expect(parsePriceListEntry(ENTRY)).toEqual(['t3.micro', 0.013]);
  });

  it('ignores entries without an hourly price and text that is not JSON', () => {
    expect(
      parsePriceListEntry(JSON.stringify({ product: { attributes: { instanceType: 't3.micro' } } })),
    ).toBeUndefined();
    expect(parsePriceListEntry('not json')).toBeUndefined();
  });

  it('asks for Linux, shared tenancy, no pre-installed software in the region', () => {
    const fields = Object.fromEntries(
      priceFilters('eu-central-1').map((filter) => [filter.Field, filter.Value]),
    );
    expect(fields).toMatchObject({ regionCode: 'eu-central-1', operatingSystem: 'Linux', tenancy: 'Shared' });
  });
});
