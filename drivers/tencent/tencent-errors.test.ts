import { createRequire } from 'node:module';
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
import { mapTencentError } from './tencent-errors.ts';

type ExceptionModule =
  typeof import('tencentcloud-sdk-nodejs-common/tencentcloud/common/exception/tencent_cloud_sdk_exception.js');
/** The SDK's own exception class (a CommonJS default export), so the shapes mapped are the real ones. */
const { default: TencentCloudSDKHttpException } = createRequire(import.meta.url)(
  'tencentcloud-sdk-nodejs-common/tencentcloud/common/exception/tencent_cloud_sdk_exception.js',
) as ExceptionModule;

/** An error shaped exactly as the SDK throws it for `{"Response": {"Error": {...}}}`. */
function sdkError(code: string, message = `${code} from Tencent Cloud`): Error {
  const error = new TencentCloudSDKHttpException(message, 'c5f1a0e2-0000-4000-8000-000000000001', 'trace-1');
  error.code = code;
  return error;
}

describe('Tencent Cloud error codes → typed errors', () => {
  it.each([
    // The table: capacity, quota, throttling, credentials.
    ['ResourceInsufficient.SpecifiedInstanceType', CapacityError, false],
    ['ResourceInsufficient.CloudDiskSoldOut', CapacityError, false],
    ['ResourceInsufficient.AvailabilityZoneSoldOut', CapacityError, false],
    ['ResourcesSoldOut.SpecifiedInstanceType', CapacityError, false],
    ['ResourcesSoldOut.EipInsufficient', CapacityError, false],
    ['LimitExceeded.InstanceQuota', QuotaError, false],
    ['LimitExceeded.SpotQuota', QuotaError, false],
    ['LimitExceeded.VpcLimit', QuotaError, false],
    ['InstancesQuotaLimitExceeded', QuotaError, false],
    ['RequestLimitExceeded', ThrottledError, true],
    ['RequestLimitExceeded.UinLimitExceeded', ThrottledError, true],
    ['AuthFailure.SecretIdNotFound', AuthError, false],
    ['AuthFailure.SignatureFailure', AuthError, false],
    ['AuthFailure.SignatureExpire', AuthError, false],
    ['AuthFailure.UnauthorizedOperation', AuthError, false],
    ['UnauthorizedOperation', AuthError, false],
    // The rest of the mapping.
    ['InvalidInstanceId.NotFound', NotFoundError, false],
    ['ResourceNotFound', NotFoundError, false],
    ['InvalidParameter', InvalidRequestError, false],
    ['InvalidParameterValue.Range', InvalidRequestError, false],
    ['InvalidParameterValue.LimitExceeded', InvalidRequestError, false],
    ['MissingParameter', InvalidRequestError, false],
    ['UnsupportedRegion', InvalidRequestError, false],
    ['InvalidZone.MismatchRegion', InvalidRequestError, false],
    ['InvalidKeyPairName.Duplicate', InvalidRequestError, false],
    ['InvalidPublicKey.Malformed', InvalidRequestError, false],
    ['ResourceInUse', ProviderError, true],
    ['OperationDenied.InstanceOperationInProgress', ProviderError, true],
    ['UnsupportedOperation.InstanceStateStopping', ProviderError, true],
    ['InvalidInstanceState', ProviderError, true],
    ['MutexOperation.TaskRunning', ProviderError, true],
    ['UnauthorizedOperation.PermissionDenied', AuthError, false],
    ['InternalError', ProviderError, true],
    ['InternalError.TradeUnknownError', ProviderError, true],
    ['FailedOperation.SomethingNew', ProviderError, false],
    ['InvalidAccount.InsufficientBalance', ProviderError, false],
  ] as const)('%s → %o (retryable %s)', (code, expected, retryable) => {
    const error = mapTencentError(sdkError(code), { operation: 'createVm', region: 'ap-seoul' });
    expect(error.constructor).toBe(expected);
    expect(error.retryable).toBe(retryable);
    expect(error.context).toMatchObject({ provider: 'tencent', providerCode: code, operation: 'createVm' });
    expect(error.message).toContain(code);
    const rebuilt = driverErrorFromJson(JSON.parse(JSON.stringify(error)));
    expect(rebuilt.constructor).toBe(expected);
    expect(rebuilt.message).toBe(error.message);
  });

  it('a throttled call says how long to wait', () => {
    const error = mapTencentError(sdkError('RequestLimitExceeded')) as ThrottledError;
    expect(error.retryAfterMs).toBeGreaterThan(0);
  });

  it('a NotFound names the resource the driver asked about', () => {
    const error = mapTencentError(
      sdkError('ResourceNotFound'),
      {},
      { kind: 'vNet', id: 'tencent+ap-seoul+vpc-1' },
    );
    expect(error.details).toMatchObject({ resourceKind: 'vNet', resourceId: 'tencent+ap-seoul+vpc-1' });
  });

  it('a malformed id is NotFound when the call was about that resource, else a wrong request', () => {
    const hint = { kind: 'vm', id: 'tencent+ap-seoul+nope' };
    expect(mapTencentError(sdkError('InvalidInstanceId.Malformed'), {}, hint)).toBeInstanceOf(NotFoundError);
    expect(mapTencentError(sdkError('InvalidParameterValue.Malformed'))).toBeInstanceOf(InvalidRequestError);
  });

  it('rejected keys are an AuthError naming where they came from and what to set, never the keys', () => {
    const error = mapTencentError(
      sdkError('AuthFailure.SecretIdNotFound'),
      {},
      undefined,
      'TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY',
    );
    expect(error.message).toContain(
      'credentials from TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY were rejected',
    );
    expect(error.message).toContain('S2A_CONNECTIONS');
  });

  it('a CAM denial points at permissions, not at the keys', () => {
    const error = mapTencentError(sdkError('UnauthorizedOperation'));
    expect(error.message).toContain('CAM');
    expect(error.message).not.toContain('TENCENTCLOUD_SECRET_ID');
  });

  it('a network failure before Tencent answered is a retryable ProviderError', () => {
    const refused = new TencentCloudSDKHttpException(
      'request to http://127.0.0.1:1/ failed, reason: connect ECONNREFUSED 127.0.0.1:1',
    );
    const error = mapTencentError(refused);
    expect(error.constructor).toBe(ProviderError);
    expect(error.retryable).toBe(true);
  });

  it('a non-200 answer without a code is a ProviderError, retryable for 5xx', () => {
    const unavailable = Object.assign(new TencentCloudSDKHttpException('Service Unavailable'), {
      httpCode: 503,
    });
    expect(mapTencentError(unavailable).retryable).toBe(true);
    const forbidden = Object.assign(new TencentCloudSDKHttpException('Forbidden'), { httpCode: 403 });
    expect(mapTencentError(forbidden).retryable).toBe(false);
  });

  it('driver errors pass through unchanged', () => {
    const original = new CapacityError('no room');
    expect(mapTencentError(original)).toBe(original);
  });
});
