// A local AWS Price List Query API (service "pricing", AWS JSON 1.1): POST / with
// X-Amz-Target AWSPriceListService.GetProducts, a JSON body, SigV4 for us-east-1/pricing, and
// GetProducts answers whose PriceList holds each product as a JSON string, as the API documents.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

const GET_PRODUCTS_TARGET = 'AWSPriceListService.GetProducts';

/** Attributes of an AmazonEC2 "Compute Instance" product that the filters and the driver read. */
export interface PriceFixture {
  instanceType: string;
  regionCode: string;
  usd: string;
  operatingSystem?: string;
  tenancy?: string;
  capacitystatus?: string;
}

const LOCATIONS: Record<string, string> = {
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
  'ap-northeast-2': 'Asia Pacific (Seoul)',
  'us-east-1': 'US East (N. Virginia)',
};

/**
 * Linux, shared, on-demand prices of the fixture instance types, plus rows the driver must filter
 * out (Windows, dedicated tenancy, unused reservations): a fetcher that forgot its filters would
 * pick their prices up.
 */
export const PRICE_FIXTURES: PriceFixture[] = [
  { instanceType: 't3.micro', regionCode: 'ap-northeast-2', usd: '0.0130000000' },
  { instanceType: 't3.small', regionCode: 'ap-northeast-2', usd: '0.0260000000' },
  { instanceType: 't3.medium', regionCode: 'ap-northeast-2', usd: '0.0520000000' },
  { instanceType: 'm5.large', regionCode: 'ap-northeast-2', usd: '0.1180000000' },
  { instanceType: 't4g.small', regionCode: 'ap-northeast-2', usd: '0.0208000000' },
  { instanceType: 'g5.xlarge', regionCode: 'ap-northeast-2', usd: '1.2080000000' },
  { instanceType: 'inf2.xlarge', regionCode: 'ap-northeast-2', usd: '0.9860000000' },
  { instanceType: 't3.micro', regionCode: 'us-east-1', usd: '0.0104000000' },
  { instanceType: 't3.small', regionCode: 'us-east-1', usd: '0.0208000000' },
  { instanceType: 'g5.xlarge', regionCode: 'us-east-1', usd: '1.0060000000' },
  { instanceType: 't3.micro', regionCode: 'ap-northeast-1', usd: '0.0136000000' },
  { instanceType: 't3.micro', regionCode: 'ap-northeast-2', usd: '0.0222000000', operatingSystem: 'Windows' },
  { instanceType: 't3.small', regionCode: 'ap-northeast-2', usd: '0.0320000000', tenancy: 'Dedicated' },
  {
    instanceType: 'm5.large',
    regionCode: 'ap-northeast-2',
    usd: '0.0000000000',
    capacitystatus: 'UnusedCapacityReservation',
  },
];

function skuOf(fixture: PriceFixture): string {
  return createHash('sha256')
    .update(JSON.stringify(fixture))
    .digest('base64')
    .replace(/[^A-Z0-9]/gi, '')
    .toUpperCase()
    .slice(0, 16);
}

/** The product's attributes as GetProducts reports them (and as TERM_MATCH filters compare). */
function attributesOf(fixture: PriceFixture): Record<string, string> {
  return {
    servicecode: 'AmazonEC2',
    servicename: 'Amazon Elastic Compute Cloud',
    regionCode: fixture.regionCode,
    location: LOCATIONS[fixture.regionCode] ?? fixture.regionCode,
    locationType: 'AWS Region',
    instanceType: fixture.instanceType,
    instanceFamily: 'General purpose',
    currentGeneration: 'Yes',
    operatingSystem: fixture.operatingSystem ?? 'Linux',
    tenancy: fixture.tenancy ?? 'Shared',
    preInstalledSw: 'NA',
    licenseModel: 'No License required',
    capacitystatus: fixture.capacitystatus ?? 'Used',
    usagetype: `APN2-BoxUsage:${fixture.instanceType}`,
    operation: 'RunInstances',
  };
}

/** One PriceList entry: product, serviceCode, terms.OnDemand with one hourly price dimension. */
export function priceListEntry(fixture: PriceFixture): string {
  const sku = skuOf(fixture);
  const offer = `${sku}.JRTCKXETXF`;
  return JSON.stringify({
    product: { productFamily: 'Compute Instance', attributes: attributesOf(fixture), sku },
    serviceCode: 'AmazonEC2',
    terms: {
      OnDemand: {
        [offer]: {
          priceDimensions: {
            [`${offer}.6YS6EN2CT7`]: {
              unit: 'Hrs',
              endRange: 'Inf',
              description: `$${Number(fixture.usd)} per On Demand ${fixture.operatingSystem ?? 'Linux'} ${fixture.instanceType} Instance Hour`,
              appliesTo: [],
              rateCode: `${offer}.6YS6EN2CT7`,
              beginRange: '0',
              pricePerUnit: { USD: fixture.usd },
            },
          },
          sku,
          effectiveDate: '2026-11-01T00:00:00Z',
          offerTermCode: 'JRTCKXETXF',
          termAttributes: {},
        },
      },
    },
    version: '20261120000000',
    publicationDate: '2026-11-20T00:00:00Z',
  });
}

const GetProductsRequestSchema = z.object({
  ServiceCode: z.string().min(1),
  Filters: z
    .array(
      z.object({
        Type: z.enum(['TERM_MATCH', 'EQUALS', 'CONTAINS', 'ANY_OF', 'NONE_OF']),
        Field: z.string(),
        Value: z.string(),
      }),
    )
    .optional(),
  FormatVersion: z.string().optional(),
  NextToken: z.string().optional(),
  MaxResults: z.number().int().min(1).max(100).optional(),
});
export type GetProductsRequest = z.infer<typeof GetProductsRequestSchema>;

/** A Price List error as AWS JSON 1.1 sends it: HTTP status, `__type`, message. */
class PricingFault extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface RecordedPricingRequest {
  target: string;
  /** From the SigV4 credential scope: AKID/date/REGION/pricing/aws4_request. */
  region: string;
  body: GetProductsRequest;
}

export class FakePricing {
  readonly requests: RecordedPricingRequest[] = [];
  /** Entries per page: small, so NextToken paging is exercised. */
  pageSize = 3;
  private readonly failures: { type: string; message: string; status: number }[] = [];
  private server: Server | undefined;

  private constructor(private readonly fixtures: PriceFixture[]) {}

  static async start(fixtures: PriceFixture[] = PRICE_FIXTURES): Promise<FakePricing> {
    const fake = new FakePricing(fixtures);
    const server = createServer((request, response) => {
      fake.handle(request, response).catch((error: unknown) => {
        fake.sendError(response, new PricingFault('InternalErrorException', String(error), 500));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.server = server;
    return fake;
  }

  get endpoint(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    return `http://127.0.0.1:${address?.port ?? 0}`;
  }

  /** The next GetProducts answers with this error (one-shot), e.g. ThrottlingException. */
  failNext(type: string, message = `${type} (provoked by the test)`, status = 400): void {
    this.failures.push({ type, message, status });
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers['x-amz-target'] ?? '');
    const authorization = String(request.headers.authorization ?? '');
    const region = /Credential=[^/]+\/\d{8}\/([^/]+)\/pricing\/aws4_request/.exec(authorization)?.[1] ?? '';
    try {
      if (request.method !== 'POST' || request.url !== '/')
        throw new PricingFault(
          'UnknownOperationException',
          `${request.method} ${request.url} is not an operation`,
        );
      if (!String(request.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1'))
        throw new PricingFault('SerializationException', 'expected application/x-amz-json-1.1');
      if (target !== GET_PRODUCTS_TARGET)
        throw new PricingFault('UnknownOperationException', `unknown operation ${target}`);
      if (!authorization.startsWith('AWS4-HMAC-SHA256 ') || !region)
        throw new PricingFault('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
      const parsed = GetProductsRequestSchema.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      if (!parsed.success)
        throw new PricingFault('ValidationException', parsed.error.issues[0]?.message ?? '');
      this.requests.push({ target, region, body: parsed.data });
      const failure = this.failures.shift();
      if (failure) throw new PricingFault(failure.type, failure.message, failure.status);
      this.sendJson(response, 200, this.getProducts(parsed.data));
    } catch (error) {
      this.sendError(
        response,
        error instanceof PricingFault ? error : new PricingFault('SerializationException', String(error)),
      );
    }
  }

  private getProducts(request: GetProductsRequest) {
    if (request.ServiceCode !== 'AmazonEC2')
      throw new PricingFault('NotFoundException', `Service ${request.ServiceCode} not found`);
    const filters = request.Filters ?? [];
    const matching = this.fixtures.filter((fixture) => {
      const attributes = attributesOf(fixture);
      return filters.every(
        (filter) => filter.Type !== 'TERM_MATCH' || attributes[filter.Field] === filter.Value,
      );
    });
    const start = request.NextToken ? Number(Buffer.from(request.NextToken, 'base64').toString()) : 0;
    if (!Number.isInteger(start) || start < 0 || start > matching.length)
      throw new PricingFault('ExpiredNextTokenException', 'The pagination token expired');
    const size = Math.min(request.MaxResults ?? 100, this.pageSize);
    const end = start + size;
    return {
      FormatVersion: 'aws_v1',
      PriceList: matching.slice(start, end).map(priceListEntry),
      ...(end < matching.length ? { NextToken: Buffer.from(String(end)).toString('base64') } : {}),
    };
  }

  private sendJson(response: ServerResponse, status: number, body: unknown): void {
    response.statusCode = status;
    response.setHeader('content-type', 'application/x-amz-json-1.1');
    response.setHeader('x-amzn-requestid', randomUUID());
    response.end(JSON.stringify(body));
  }

  private sendError(response: ServerResponse, fault: PricingFault): void {
    response.setHeader('x-amzn-errortype', `${fault.type}:`);
    this.sendJson(response, fault.status, { __type: fault.type, Message: fault.message });
  }
}
