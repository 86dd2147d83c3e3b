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
import { failureFromOperation, failureFromThrown, mapComputeFailure, mapThrown } from './gcp-errors.ts';

const context = { provider: 'gcp' as const, operation: 'createVm' };

/** What the REST fallback throws: a GaxiosError-like object carrying the HTTP error body. */
function thrown(status: number, reason: string, message = `${reason} happened`) {
  const body = { error: { code: status, message, errors: [{ reason, message, domain: 'global' }] } };
  return Object.assign(new Error(JSON.stringify(body)), {
    code: status,
    status,
    response: { status, data: body, headers: {} },
  });
}

describe('GCP error mapping, row by row', () => {
  const httpRows = [
    { status: 503, reason: 'ZONE_RESOURCE_POOL_EXHAUSTED', type: CapacityError, retryable: false },
    {
      status: 503,
      reason: 'ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS',
      type: CapacityError,
      retryable: false,
    },
    { status: 403, reason: 'QUOTA_EXCEEDED', type: QuotaError, retryable: false },
    { status: 403, reason: 'quotaExceeded', type: QuotaError, retryable: false },
    { status: 403, reason: 'rateLimitExceeded', type: ThrottledError, retryable: true },
    { status: 429, reason: 'rateLimitExceeded', type: ThrottledError, retryable: true },
    { status: 429, reason: 'somethingElse', type: ThrottledError, retryable: true },
    { status: 401, reason: 'authError', type: AuthError, retryable: false },
    { status: 401, reason: 'required', type: AuthError, retryable: false },
    { status: 403, reason: 'forbidden', type: AuthError, retryable: false },
    { status: 400, reason: 'resourceInUseByAnotherResource', type: ProviderError, retryable: true },
    { status: 404, reason: 'notFound', type: NotFoundError, retryable: false },
    { status: 404, reason: 'other', type: NotFoundError, retryable: false },
    { status: 400, reason: 'invalid', type: InvalidRequestError, retryable: false },
    { status: 400, reason: 'other', type: InvalidRequestError, retryable: false },
    { status: 409, reason: 'alreadyExists', type: InvalidRequestError, retryable: false },
    { status: 500, reason: 'internalError', type: ProviderError, retryable: true },
  ] as const;

  it.each(httpRows)('HTTP $status $reason → $type.name', ({ status, reason, type, retryable }) => {
    const error = mapThrown(thrown(status, reason), context, { kind: 'VM', id: 'gcp+r+x' });
    expectTypedError(error, { type, retryable, provider: 'gcp', providerCode: reason });
  });

  const operationRows = [
    { code: 'ZONE_RESOURCE_POOL_EXHAUSTED', type: CapacityError },
    { code: 'ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS', type: CapacityError },
    { code: 'QUOTA_EXCEEDED', type: QuotaError },
    { code: 'RESOURCE_IN_USE_BY_ANOTHER_RESOURCE', type: ProviderError },
    { code: 'RESOURCE_NOT_FOUND', type: ProviderError },
  ] as const;

  it.each(operationRows)('operation error $code → $type.name', ({ code, type }) => {
    const failure = failureFromOperation({
      error: { errors: [{ code, message: 'no' }] },
      httpErrorStatusCode: 503,
    });
    expect(failure).toBeDefined();
    if (!failure) return;
    expect(mapComputeFailure(failure, context)).toBeInstanceOf(type);
  });

  it('a throttled error without Retry-After still asks to wait', () => {
    const error = mapThrown(thrown(429, 'rateLimitExceeded'), context);
    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as ThrottledError).retryAfterMs).toBeGreaterThan(0);
  });

  it('reads the body from the message when the response is missing', () => {
    const body = JSON.stringify({ error: { code: 400, message: 'bad', errors: [{ reason: 'invalid' }] } });
    expect(failureFromThrown(Object.assign(new Error(body), { code: 400 }))).toMatchObject({
      httpStatus: 400,
      reasons: ['invalid'],
    });
  });

  it('missing credentials become an AuthError that says what to set', () => {
    const error = mapThrown(new Error('Could not load the default credentials.'), context);
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toContain('GOOGLE_APPLICATION_CREDENTIALS');
  });

  it('NotFoundError names the resource', () => {
    const error = mapThrown(thrown(404, 'notFound'), context, { kind: 'VM', id: 'gcp+r+z/x' });
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).resourceId).toBe('gcp+r+z/x');
  });
});
