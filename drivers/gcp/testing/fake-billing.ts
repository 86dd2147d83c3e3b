import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeNow, listenOnFreePort, sendJson } from '../../spec/testing/json-server.ts';
import { COMPUTE_SERVICE_ID, FIXTURE_SERVICES, FIXTURE_SKUS } from './billing-fixtures.ts';

/**
 * A local Cloud Billing Catalog API v1 for wire-level tests: what @google-cloud/billing's
 * CloudCatalogClient sends in REST fallback mode. GET /v1/services and
 * GET /v1/services/{serviceId}/skus (currencyCode, pageSize, pageToken → nextPageToken, an empty
 * string on the last page as the API does), Google's JSON error bodies, and one-shot failures.
 */

export interface RecordedBillingRequest {
  method: string;
  path: string;
  query: Record<string, string>;
}

interface ErrorReply {
  status: number;
  message: string;
  statusText: string;
}

/** Items a page when the request does not ask for fewer: small, so nextPageToken is followed. */
const PAGE_SIZE = 4;

export class FakeBilling {
  readonly requests: RecordedBillingRequest[] = [];
  private server: Server | undefined;
  private readonly failures: ErrorReply[] = [];

  async start(): Promise<number> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        this.sendError(response, { status: 500, message: String(error), statusText: 'INTERNAL' });
      });
    });
    return listenOnFreePort(this.server);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await closeNow(server);
  }

  /** The next request answers with this error, e.g. 429 RESOURCE_EXHAUSTED or 403 PERMISSION_DENIED. */
  failNext(status: number, statusText: string, message = `${statusText} (provoked by the test)`): void {
    this.failures.push({ status, statusText, message });
  }

  clearFailures(): void {
    this.failures.length = 0;
  }

  /** Requests for the SKUs of a service. */
  skuRequests(): RecordedBillingRequest[] {
    return this.requests.filter((request) => request.path.endsWith('/skus'));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams.entries());
    const method = request.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, query });
    // The Catalog API takes an OAuth token or an API key.
    if (request.headers.authorization === undefined && query.key === undefined) {
      this.sendError(response, {
        status: 403,
        message:
          "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
        statusText: 'PERMISSION_DENIED',
      });
      return;
    }
    const failure = this.failures.shift();
    if (failure) {
      this.sendError(response, failure);
      return;
    }
    if (method !== 'GET') {
      this.sendError(response, {
        status: 405,
        message: `${method} is not allowed`,
        statusText: 'UNIMPLEMENTED',
      });
      return;
    }
    if (url.pathname === '/v1/services') {
      sendJson(response, 200, this.page('services', FIXTURE_SERVICES, query));
      return;
    }
    const skus = /^\/v1\/services\/([^/]+)\/skus$/.exec(url.pathname);
    if (skus) {
      const currency = query.currencyCode ?? 'USD';
      if (currency !== 'USD') {
        // The real API converts; the fixtures hold USD only, so a test asking otherwise is wrong.
        this.sendError(response, {
          status: 400,
          message: `currency ${currency} is not in the fixtures`,
          statusText: 'INVALID_ARGUMENT',
        });
        return;
      }
      if (skus[1] !== COMPUTE_SERVICE_ID) {
        const known = FIXTURE_SERVICES.some((service) => service.serviceId === skus[1]);
        if (!known) {
          this.sendError(response, {
            status: 404,
            message: `Service ${skus[1]} not found`,
            statusText: 'NOT_FOUND',
          });
          return;
        }
        sendJson(response, 200, { skus: [], nextPageToken: '' });
        return;
      }
      sendJson(response, 200, this.page('skus', FIXTURE_SKUS, query));
      return;
    }
    this.sendError(response, {
      status: 404,
      message: `no route for ${url.pathname}`,
      statusText: 'NOT_FOUND',
    });
  }

  private page(field: string, items: unknown[], query: Record<string, string>): Record<string, unknown> {
    const asked = Number(query.pageSize ?? 0);
    const size = asked > 0 ? Math.min(asked, PAGE_SIZE) : PAGE_SIZE;
    const start = query.pageToken ? Number(Buffer.from(query.pageToken, 'base64url').toString()) : 0;
    const end = start + size;
    return {
      [field]: items.slice(start, end),
      nextPageToken: end < items.length ? Buffer.from(String(end)).toString('base64url') : '',
    };
  }

  private sendError(response: ServerResponse, error: ErrorReply): void {
    sendJson(response, error.status, {
      error: { code: error.status, message: error.message, status: error.statusText },
    });
  }
}
