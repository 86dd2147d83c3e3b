// Tencent Cloud API 3.0 error codes → the spec's typed errors.

import { errorMessageOf, providerErrorParts, type ResourceHint } from '../spec/driver-kit/index.ts';
import {
  AuthError,
  CapacityError,
  type DriverError,
  type ErrorContext,
  InvalidRequestError,
  isDriverError,
  NotFoundError,
  ProviderError,
  QuotaError,
  ThrottledError,
} from '../spec/index.ts';
import { CREDENTIALS_HINT } from './tencent-config.ts';

/** Tencent's limits are per second; waiting one second lets the bucket refill. */
export const DEFAULT_THROTTLE_RETRY_AFTER_MS = 1000;

interface TencentErrorShape {
  code?: unknown;
  message?: unknown;
  requestId?: unknown;
  httpCode?: unknown;
}

/** The API error code ("ResourceInsufficient.SpecifiedInstanceType"), or undefined. */
export function tencentErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as TencentErrorShape).code;
  return typeof code === 'string' && code.length > 0 ? code : undefined;
}

/** Codes that say a family: the part before the first dot ("LimitExceeded.InstanceQuota" → "LimitExceeded"). */
function family(code: string): string {
  return code.split('.')[0] ?? code;
}

/** The call may succeed later: an instance or dependency is still changing state. */
const RETRYABLE_CODES = new Set([
  'ResourceInUse',
  'OperationDenied.InstanceOperationInProgress',
  'UnsupportedOperation.InstanceStatePending',
  'UnsupportedOperation.InstanceStateStarting',
  'UnsupportedOperation.InstanceStateStopping',
  'UnsupportedOperation.InstanceStateRebooting',
  'UnsupportedOperation.InstanceStateTerminating',
  'FailedOperation.InstanceOperationInProgress',
  'UnsupportedOperation.InstanceStateIsolating',
  'UnsupportedOperation.InstanceStateServiceLiveMigrate',
  'InvalidInstanceState',
  'MutexOperation.TaskRunning',
]);

/** A network failure before Tencent answered: the SDK gives no code, only node-fetch's message. */
const NETWORK_FAILURE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up|network timeout|timeout/i;

/**
 * Turns anything a Tencent Cloud call threw into the spec's typed errors, keeping Tencent's code
 * in `context.providerCode`. Driver errors pass through unchanged. `credentialsSource` names where
 * the rejected credentials came from (never their values), so an AuthError says what to fix.
 */
export function mapTencentError(
  error: unknown,
  context: ErrorContext = {},
  resource?: ResourceHint,
  credentialsSource?: string,
): DriverError {
  if (isDriverError(error)) return error;
  const code = tencentErrorCode(error);
  const message = errorMessageOf(error);
  const { context: withCode, text } = providerErrorParts('tencent', context, code, message);

  if (code === undefined) {
    const status = (error as TencentErrorShape | null)?.httpCode;
    const retryable = NETWORK_FAILURE.test(message) || (typeof status === 'number' && status >= 500);
    return new ProviderError(text, { retryable, context: withCode, cause: error });
  }
  const head = family(code);
  if (head === 'ResourceInsufficient' || head === 'ResourcesSoldOut')
    return new CapacityError(text, withCode);
  if (head === 'RequestLimitExceeded') {
    return new ThrottledError(text, DEFAULT_THROTTLE_RETRY_AFTER_MS, withCode);
  }
  // InstancesQuotaLimitExceeded, ImageQuotaLimitExceeded: quotas without the LimitExceeded. prefix.
  if (head === 'LimitExceeded' || head.endsWith('QuotaLimitExceeded')) {
    return new QuotaError(text, { ...withCode, quota: code });
  }
  if (head === 'AuthFailure' || head === 'UnauthorizedOperation') {
    // CAM denials are about permissions, not keys: pointing at the key variables would mislead.
    const hint =
      head === 'UnauthorizedOperation' || code === 'AuthFailure.UnauthorizedOperation'
        ? ' (grant the CAM user QcloudCVMFullAccess and QcloudVPCFullAccess, or narrower policies)'
        : ` (the credentials from ${credentialsSource ?? 'the environment'} were rejected: ${CREDENTIALS_HINT})`;
    return new AuthError(`${text}${hint}`, withCode);
  }
  if (code.endsWith('.NotFound') || head === 'ResourceNotFound') {
    return new NotFoundError(resource?.kind ?? 'resource', resource?.id ?? '?', withCode, text);
  }
  // A malformed id is one that cannot exist: the contract answers it as NotFound.
  if (code.endsWith('.Malformed') && resource) {
    return new NotFoundError(resource.kind, resource.id, withCode, text);
  }
  if (RETRYABLE_CODES.has(code) || head === 'ResourceInUse') {
    return new ProviderError(text, {
      retryable: true,
      context: withCode,
      details: { providerMessage: message },
    });
  }
  if (head === 'InvalidParameter' || head === 'InvalidParameterValue' || head === 'MissingParameter') {
    return new InvalidRequestError(text, withCode, [text]);
  }
  // The rest of the Invalid* family (InvalidKeyPairName.Duplicate, InvalidPublicKey.Malformed,
  // InvalidZone.MismatchRegion…) names a wrong value; so does a region the API does not serve.
  // An account that cannot pay (InvalidAccount.InsufficientBalance, .UnpaidOrder) is no wrong request.
  if (head === 'InvalidAccount') {
    return new ProviderError(`${text} (settle the Tencent Cloud account's balance or orders)`, {
      retryable: false,
      context: withCode,
      details: { providerMessage: message },
    });
  }
  if (head.startsWith('Invalid') || head === 'UnknownParameter' || head === 'UnsupportedRegion') {
    return new InvalidRequestError(text, withCode, [text]);
  }
  const retryable = head === 'InternalError';
  return new ProviderError(text, { retryable, context: withCode, details: { providerMessage: message } });
}
