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

/** EC2 asks callers to back off after throttling; its SDK starts near one second. */
export const DEFAULT_THROTTLE_RETRY_AFTER_MS = 1000;

/** Where credentials come from, named in AuthErrors so a person knows what to set. */
export const CREDENTIALS_HINT =
  'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE / `aws sso login`), ' +
  'or "credentials" in the aws entry of S2A_CONNECTIONS';

interface AwsErrorShape {
  name?: unknown;
  Code?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

/** The EC2 error code of an SDK error ("InvalidVpcID.NotFound"), or undefined for non-AWS errors. */
export function awsErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const shape = error as AwsErrorShape;
  for (const candidate of [shape.Code, shape.code, shape.name]) {
    if (typeof candidate === 'string' && candidate.length > 0 && candidate !== 'Error') return candidate;
  }
  return undefined;
}

const CAPACITY_CODES = new Set([
  'InsufficientInstanceCapacity',
  'InsufficientHostCapacity',
  'InsufficientReservedInstanceCapacity',
  'InsufficientCapacity',
  'InsufficientCapacityOnHost',
]);
const THROTTLE_CODES = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
]);
const QUOTA_CODES = new Set([
  'VcpuLimitExceeded',
  'InstanceLimitExceeded',
  'MaxSpotInstanceCountExceeded',
  'VpcLimitExceeded',
  'SecurityGroupLimitExceeded',
  'RulesPerSecurityGroupLimitExceeded',
  'ResourceLimitExceeded',
  'KeyPairLimitExceeded',
  'SubnetLimitExceeded',
]);
const AUTH_CODES = new Set([
  'AuthFailure',
  'UnauthorizedOperation',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'RequestExpired',
  'OptInRequired',
  'Blocked',
  'AccessDenied',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'CredentialsProviderError',
]);
/** The call may succeed later: something is still settling or the service hiccupped. */
const RETRYABLE_CODES = new Set([
  'DependencyViolation',
  'IncorrectInstanceState',
  'IncorrectState',
  'InternalError',
  'InternalFailure',
  'ServiceUnavailable',
  'Unavailable',
  'RequestTimeout',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
]);
/** Wrong input that is not one of the InvalidParameter* family. */
const INVALID_REQUEST_CODES = new Set([
  'IdempotentParameterMismatch',
  'MissingParameter',
  'UnknownParameter',
  'InvalidInstanceType',
  'InvalidSubnet.Range',
  'InvalidSubnet.Conflict',
  'InvalidVpc.Range',
  'InvalidKeyPair.Duplicate',
  'InvalidKeyPair.Format',
  'InvalidGroup.Duplicate',
  'InvalidPermission.Duplicate',
  'InvalidPermission.Malformed',
  'InvalidBlockDeviceMapping',
  'InvalidUserData.Malformed',
  'Unsupported',
  'UnsupportedOperation',
  'ValidationError',
  'ValidationException',
]);

/** Guess of the spec kind behind an EC2 "*.NotFound" code, for messages when the caller gave none. */
function kindFromCode(code: string): string {
  const prefix = code.replace(/^Invalid/, '').replace(/\.(NotFound|Malformed)$/, '');
  const kinds: Record<string, string> = {
    VpcID: 'vNet',
    SubnetID: 'subnet',
    GroupId: 'securityGroup',
    Group: 'securityGroup',
    KeyPair: 'keyPair',
    InstanceID: 'vm',
    AMIID: 'image',
  };
  return kinds[prefix] ?? 'resource';
}

/**
 * Turns anything an EC2 call threw into the spec's typed errors, keeping EC2's code in
 * `context.providerCode`. Driver errors pass through unchanged. Credentials never appear: SDK
 * messages name the variable or profile that is missing, not its value.
 */
export function mapAwsError(
  error: unknown,
  context: ErrorContext = {},
  resource?: ResourceHint,
): DriverError {
  if (isDriverError(error)) return error;
  const code = awsErrorCode(error);
  const message = errorMessageOf(error);
  const { context: withCode, text } = providerErrorParts('aws', context, code, message);

  if (code === undefined) {
    return new ProviderError(text, { retryable: false, context: withCode, cause: error });
  }
  if (CAPACITY_CODES.has(code)) return new CapacityError(text, withCode);
  if (THROTTLE_CODES.has(code)) return new ThrottledError(text, DEFAULT_THROTTLE_RETRY_AFTER_MS, withCode);
  if (QUOTA_CODES.has(code)) return new QuotaError(text, { ...withCode, quota: code });
  if (AUTH_CODES.has(code)) {
    const hint = code === 'CredentialsProviderError' ? ` (${CREDENTIALS_HINT})` : '';
    return new AuthError(`${text}${hint}`, withCode);
  }
  if (code.endsWith('.NotFound') || code.endsWith('.Malformed')) {
    // A malformed id is one that cannot exist: the contract answers it as NotFound.
    if (code !== 'InvalidPermission.Malformed' && code !== 'InvalidUserData.Malformed') {
      return new NotFoundError(resource?.kind ?? kindFromCode(code), resource?.id ?? '?', withCode, text);
    }
  }
  if (code.startsWith('InvalidParameter') || INVALID_REQUEST_CODES.has(code)) {
    return new InvalidRequestError(text, withCode, [text]);
  }
  if (code.endsWith('LimitExceeded')) return new QuotaError(text, { ...withCode, quota: code });
  const status = (error as AwsErrorShape).$metadata?.httpStatusCode;
  const retryable = RETRYABLE_CODES.has(code) || (status !== undefined && status >= 500);
  return new ProviderError(text, { retryable, context: withCode, details: { providerMessage: message } });
}
