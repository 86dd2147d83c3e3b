import { describe, expect, it } from 'vitest';
import {
  AuthError,
  CapacityError,
  InvalidRequestError,
  NotFoundError,
  ProviderError,
  QuotaError,
  ThrottledError,
} from '../spec/index.ts';
import { expectTypedError } from '../spec/testing/typed-errors.ts';
import { failureFromBody, failureFromThrown, mapThrown } from './azure-errors.ts';

const context = { provider: 'azure' as const, operation: 'createVm' };

/** What both SDKs throw for an ARM error answer: a RestError with the status, code and response. */
function restError(
  status: number,
  code: string | undefined,
  message = `${code} happened`,
  headers: Record<string, string> = {},
) {
  const body = code ? JSON.stringify({ error: { code, message } }) : '';
  return Object.assign(new Error(message), {
    name: 'RestError',
    code,
    statusCode: status,
    response: {
      status,
      bodyAsText: body,
      headers: { get: (name: string) => headers[name.toLowerCase()] },
    },
  });
}

/** What core-lro throws when an operation polled through Azure-AsyncOperation ends Failed. */
function failedOperation(code: string, message: string) {
  return new Error(`The long-running operation has failed. ${code}. ${message}`);
}

describe('ARM error mapping, row by row', () => {
  const httpRows = [
    { status: 409, code: 'SkuNotAvailable', type: CapacityError, retryable: false },
    { status: 409, code: 'AllocationFailed', type: CapacityError, retryable: false },
    { status: 409, code: 'ZonalAllocationFailed', type: CapacityError, retryable: false },
    {
      status: 409,
      code: 'OperationNotAllowed',
      message:
        'Operation could not be completed as it results in exceeding approved standardDSv5Family Cores quota.',
      type: QuotaError,
      retryable: false,
    },
    { status: 403, code: 'QuotaExceeded', type: QuotaError, retryable: false },
    {
      status: 409,
      code: 'OperationNotAllowed',
      message: "Operation 'start' is not allowed since the VM is marked for deletion.",
      type: InvalidRequestError,
      retryable: false,
    },
    { status: 429, code: 'TooManyRequests', type: ThrottledError, retryable: true },
    { status: 429, code: 'SubscriptionRequestsThrottled', type: ThrottledError, retryable: true },
    { status: 429, code: undefined, type: ThrottledError, retryable: true },
    { status: 403, code: 'AuthorizationFailed', type: AuthError, retryable: false },
    { status: 403, code: 'LinkedAuthorizationFailed', type: AuthError, retryable: false },
    { status: 401, code: 'InvalidAuthenticationToken', type: AuthError, retryable: false },
    { status: 401, code: 'ExpiredAuthenticationToken', type: AuthError, retryable: false },
    { status: 401, code: undefined, type: AuthError, retryable: false },
    { status: 400, code: 'InUseSubnetCannotBeDeleted', type: ProviderError, retryable: true },
    { status: 400, code: 'InUseNetworkSecurityGroupCannotBeDeleted', type: ProviderError, retryable: true },
    { status: 409, code: 'AnotherOperationInProgress', type: ProviderError, retryable: true },
    { status: 409, code: 'ResourceGroupBeingDeleted', type: ProviderError, retryable: true },
    { status: 404, code: 'ResourceNotFound', type: NotFoundError, retryable: false },
    { status: 404, code: 'ResourceGroupNotFound', type: NotFoundError, retryable: false },
    { status: 404, code: 'PlatformImageNotFound', type: NotFoundError, retryable: false },
    { status: 400, code: 'InvalidParameter', type: InvalidRequestError, retryable: false },
    { status: 400, code: 'NetcfgInvalidSubnet', type: InvalidRequestError, retryable: false },
    { status: 409, code: 'Conflict', type: InvalidRequestError, retryable: false },
    { status: 500, code: 'InternalServerError', type: ProviderError, retryable: true },
    { status: 503, code: 'ServiceUnavailable', type: ProviderError, retryable: true },
    { status: 412, code: 'PreconditionFailed', type: ProviderError, retryable: false },
  ] as const;

  it.each(httpRows)('HTTP $status $code → $type.name', (row) => {
    const message = 'message' in row ? row.message : undefined;
    const error = mapThrown(restError(row.status, row.code, message), context, {
      kind: 'VM',
      id: 'azure+r+g/x',
    });
    expectTypedError(error, {
      type: row.type,
      retryable: row.retryable,
      provider: 'azure',
      providerCode: row.code ?? String(row.status),
    });
  });

  const operationRows = [
    { code: 'ZonalAllocationFailed', type: CapacityError },
    { code: 'AllocationFailed', type: CapacityError },
    { code: 'OverconstrainedZonalAllocationRequest', type: CapacityError },
    { code: 'OverconstrainedAllocationRequest', type: CapacityError },
    { code: 'SkuNotAvailable', type: CapacityError },
    { code: 'InternalExecutionError', type: ProviderError },
  ] as const;

  it.each(operationRows)('a long-running operation that failed with $code → $type.name', ({ code, type }) => {
    const error = mapThrown(failedOperation(code, 'Allocation failed. Please try another zone.'), context);
    expect(error).toBeInstanceOf(type);
    expect(error.context.providerCode).toBe(code);
    expect(error.message).toBe('Allocation failed. Please try another zone.');
  });

  it('a 429 waits as long as its Retry-After header says', () => {
    const error = mapThrown(restError(429, 'TooManyRequests', 'slow down', { 'retry-after': '7' }), context);
    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as ThrottledError).retryAfterMs).toBe(7000);
  });

  it('a 429 without Retry-After still asks to wait', () => {
    const error = mapThrown(restError(429, 'TooManyRequests'), context);
    expect((error as ThrottledError).retryAfterMs).toBeGreaterThan(0);
  });

  it('a capacity code among the details of a deployment failure is a capacity error', () => {
    const body = {
      error: {
        code: 'DeploymentFailed',
        message: 'At least one resource deployment operation failed.',
        details: [{ code: 'SkuNotAvailable', message: 'The requested VM size is not available.' }],
      },
    };
    expect(failureFromBody(body, 409)?.codes).toEqual(['DeploymentFailed', 'SkuNotAvailable']);
    // arm-compute puts the parsed body in RestError.details.
    const thrown = Object.assign(new Error('At least one resource deployment operation failed.'), {
      statusCode: 409,
      details: body,
    });
    expect(mapThrown(thrown, context)).toBeInstanceOf(CapacityError);
  });

  it('AuthErrors say which variables to set', () => {
    const error = mapThrown(restError(403, 'AuthorizationFailed'), context);
    expect(error.message).toMatch(/AZURE_CLIENT_ID/);
    expect(error.message).toMatch(/S2A_CONNECTIONS/);
  });

  it.each(['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError'])(
    "the identity library's %s becomes an AuthError naming AZURE_TENANT_ID, AZURE_CLIENT_ID and az login",
    (name) => {
      const thrown = Object.assign(new Error('EnvironmentCredential is unavailable.\nmore lines'), { name });
      const error = mapThrown(thrown, context);
      expect(error).toBeInstanceOf(AuthError);
      expect(error.message).toMatch(/AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET/);
      expect(error.message).toMatch(/az login/);
      expect(error.message).not.toMatch(/more lines/);
    },
  );

  it('connection resets are retryable provider errors; other local failures are not', () => {
    expect(
      mapThrown(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), context).retryable,
    ).toBe(true);
    expect(mapThrown(new Error('boom'), context).retryable).toBe(false);
    expect(
      failureFromThrown(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })),
    ).toBeUndefined();
  });

  it('a long-running operation cut off by operationTimeoutMs is retryable: ARM may still finish it', () => {
    const error = mapThrown(new DOMException('The operation timed out.', 'TimeoutError'), context);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.retryable).toBe(true);
    const aborted = mapThrown(
      Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' }),
      context,
    );
    expect(aborted.retryable).toBe(true);
  });

  it('NotFoundError names the resource the call was about', () => {
    const error = mapThrown(restError(404, 'ResourceNotFound'), context, {
      kind: 'VM',
      id: 'azure+koreacentral+g/vm',
    });
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).resourceId).toBe('azure+koreacentral+g/vm');
  });
});
