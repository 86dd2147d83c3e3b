import { describe, expect, it } from 'vitest';
import {
  AuthError,
  CapacityError,
  driverErrorFromJson,
  InvalidRequestError,
  NotFoundError,
  ProviderError,
  QuotaError,
  ThrottledError,
} from '../spec/index.ts';
import { mapAwsError } from './aws-errors.ts';

/** An error shaped as the SDK throws it for an EC2 error XML. */
function sdkError(code: string, status = 400): Error {
  return Object.assign(new Error(`${code} from EC2`), {
    name: code,
    Code: code,
    $metadata: { httpStatusCode: status },
  });
}

describe('EC2 error codes → typed errors', () => {
  it.each([
    ['InsufficientInstanceCapacity', 500, CapacityError, false],
    ['RequestLimitExceeded', 503, ThrottledError, true],
    ['Throttling', 400, ThrottledError, true],
    ['VcpuLimitExceeded', 400, QuotaError, false],
    ['InstanceLimitExceeded', 400, QuotaError, false],
    ['DependencyViolation', 400, ProviderError, true],
    ['AuthFailure', 401, AuthError, false],
    ['UnauthorizedOperation', 403, AuthError, false],
    ['InvalidParameter', 400, InvalidRequestError, false],
    ['InvalidParameterValue', 400, InvalidRequestError, false],
    ['InvalidParameterCombination', 400, InvalidRequestError, false],
    ['InvalidVpcID.NotFound', 400, NotFoundError, false],
    ['InvalidInstanceID.NotFound', 400, NotFoundError, false],
    ['InvalidAMIID.NotFound', 400, NotFoundError, false],
    ['InvalidInstanceID.Malformed', 400, NotFoundError, false],
    ['IdempotentParameterMismatch', 400, InvalidRequestError, false],
    ['InternalError', 500, ProviderError, true],
    ['SomethingNew', 400, ProviderError, false],
  ] as const)('%s (HTTP %i) → %o', (code, status, expected, retryable) => {
    const error = mapAwsError(sdkError(code, status), { operation: 'createVm', region: 'ap-northeast-2' });
    expect(error).toBeInstanceOf(expected);
    expect(error.constructor).toBe(expected);
    expect(error.retryable).toBe(retryable);
    expect(error.context).toMatchObject({ provider: 'aws', providerCode: code, operation: 'createVm' });
    const rebuilt = driverErrorFromJson(JSON.parse(JSON.stringify(error)));
    expect(rebuilt.constructor).toBe(expected);
    expect(rebuilt.message).toBe(error.message);
  });

  it('a throttled call says how long to wait', () => {
    const error = mapAwsError(sdkError('RequestLimitExceeded', 503)) as ThrottledError;
    expect(error.retryAfterMs).toBeGreaterThan(0);
  });

  it('a NotFound names the resource the driver asked about', () => {
    const error = mapAwsError(
      sdkError('InvalidVpcID.NotFound'),
      {},
      { kind: 'vNet', id: 'aws+ap-northeast-2+vpc-1' },
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.details).toMatchObject({ resourceKind: 'vNet', resourceId: 'aws+ap-northeast-2+vpc-1' });
  });

  it('missing credentials are an AuthError naming what to set', () => {
    const missing = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    const error = mapAwsError(missing, { operation: 'listVNets' });
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toContain('AWS_ACCESS_KEY_ID');
    expect(error.message).toContain('S2A_CONNECTIONS');
  });

  it('a network failure is a retryable ProviderError', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const error = mapAwsError(refused);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.retryable).toBe(true);
  });

  it('driver errors pass through unchanged', () => {
    const original = new CapacityError('no room');
    expect(mapAwsError(original)).toBe(original);
  });
});
