import { asRecord, parseJsonOrUndefined, type ResourceHint } from '../spec/driver-kit/index.ts';
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

/** Throttled calls without a Retry-After header wait this long: ARM read/write budgets refill per minute. */
const DEFAULT_RETRY_AFTER_MS = 5_000;

/** Where Azure credentials come from, named in every AuthError so a person knows what to set. */
export const AZURE_CREDENTIAL_HINT =
  'set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, run az login, or give "servicePrincipal" in the azure connection of S2A_CONNECTIONS';

/**
 * One ARM failure, whichever way it arrived: an HTTP error body
 * (`{"error": {"code", "message", "details": [{"code", "message"}]}}`) thrown by the SDK as a
 * RestError, or a long-running operation that ended `Failed` (core-lro throws a plain Error whose
 * message carries the operation's error code).
 */
export interface ArmFailure {
  httpStatus: number | undefined;
  /** The error code, then the codes of its details, as Azure wrote them. */
  codes: string[];
  message: string;
  /** Seconds from a Retry-After header, when the server sent one. */
  retryAfterSeconds?: number;
}

/** Reads an ARM error body (object or JSON text). */
export function failureFromBody(body: unknown, httpStatus: number | undefined): ArmFailure | undefined {
  const parsed = typeof body === 'string' ? parseJsonOrUndefined(body) : body;
  const record = asRecord(parsed);
  const error = asRecord(record?.error) ?? (typeof record?.code === 'string' ? record : undefined);
  if (!error || typeof error.code !== 'string') return undefined;
  const details = Array.isArray(error.details) ? error.details.map(asRecord) : [];
  const codes = [
    error.code,
    ...details.map((detail) => detail?.code).filter((code): code is string => typeof code === 'string'),
  ];
  return { httpStatus, codes, message: typeof error.message === 'string' ? error.message : error.code };
}

/** Retry-After from a PipelineResponse's headers (HttpHeaders with get(), or a plain object). */
function retryAfterOf(response: Record<string, unknown> | undefined): number | undefined {
  const headers = asRecord(response?.headers);
  if (!headers) return undefined;
  const value =
    typeof headers.get === 'function'
      ? (headers.get as (name: string) => unknown).call(headers, 'retry-after')
      : (headers['retry-after'] ?? headers['Retry-After']);
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds;
  const date = Date.parse(String(value));
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

const LRO_FAILED = /^The long-running operation has failed\. (\w+)\. ([\s\S]*)$/;

/**
 * Reads what an SDK threw: a RestError (`statusCode`, `code`, `response` with headers and
 * `bodyAsText`, `details`), or core-lro's Error for a failed operation.
 */
export function failureFromThrown(error: unknown): ArmFailure | undefined {
  const record = asRecord(error);
  if (!record) return undefined;
  const message = typeof record.message === 'string' ? record.message : '';
  const lro = LRO_FAILED.exec(message);
  if (lro?.[1]) return { httpStatus: undefined, codes: [lro[1]], message: lro[2] ?? message };
  const response = asRecord(record.response);
  const status =
    typeof record.statusCode === 'number'
      ? record.statusCode
      : typeof response?.status === 'number'
        ? response.status
        : undefined;
  const retryAfterSeconds = retryAfterOf(response);
  const fromBody =
    failureFromBody(record.details, status) ??
    (typeof response?.bodyAsText === 'string' ? failureFromBody(response.bodyAsText, status) : undefined);
  const code = typeof record.code === 'string' ? record.code : undefined;
  // Transport errors (ECONNREFUSED…) carry a code but no status: they are not ARM failures.
  if (!fromBody && status === undefined) return undefined;
  const failure: ArmFailure = fromBody ?? {
    httpStatus: status,
    codes: code ? [code] : [],
    message: message || `HTTP ${status}`,
  };
  if (code && !failure.codes.includes(code)) failure.codes.unshift(code);
  return retryAfterSeconds === undefined ? failure : { ...failure, retryAfterSeconds };
}

/** Lower case, so "ResourceNotFound" and "resourcenotfound" compare equal. */
function normalise(code: string): string {
  return code.toLowerCase();
}

const CAPACITY_CODES = [
  'skunotavailable',
  'zonalallocationfailed',
  'allocationfailed',
  'overconstrainedallocationrequest',
  'overconstrainedzonalallocationrequest',
];
const QUOTA_CODES = ['quotaexceeded', 'operationnotallowed_quota'];
const THROTTLE_CODES = ['toomanyrequests', 'subscriptionrequeststhrottled', 'throttled'];
const AUTH_CODES = [
  'authorizationfailed',
  'authenticationfailed',
  'invalidauthenticationtoken',
  'invalidauthenticationtokentenant',
  'expiredauthenticationtoken',
  'linkedauthorizationfailed',
];
/** Conflicts that clear by themselves: a dependency still being deleted, another operation running. */
const DEPENDENCY_CODES = [
  'inusesubnetcannotbedeleted',
  'inusenetworksecuritygroupcannotbedeleted',
  'networksecuritygroupinuse',
  'subnetinuse',
  'anotheroperationinprogress',
  'resourcegroupbeingdeleted',
  'retryableerror',
  'conflictingoperation',
  'operationpreempted',
  'canceledandsupersededduetoanotheroperation',
];
const NOT_FOUND_CODES = [
  'resourcenotfound',
  'notfound',
  'resourcegroupnotfound',
  'parentresourcenotfound',
  'imagenotfound',
  'platformimagenotfound',
];
const INVALID_CODES = [
  'invalidparameter',
  'badrequest',
  'invalidrequestcontent',
  'invalidrequestformat',
  'invalidresourcename',
  'invalidtemplate',
  'netcfginvalidsubnet',
  'invalidaddressprefixformat',
  'propertychangenotallowed',
  'operationnotallowed',
];
const TRANSIENT_CODES = [
  'internalservererror',
  'serviceunavailable',
  'gatewaytimeout',
  'internalexecutionerror',
];

/**
 * Maps one ARM failure to the typed error, codes first (they are specific), then the HTTP status.
 * Row by row: SkuNotAvailable / ZonalAllocationFailed / AllocationFailed → Capacity;
 * OperationNotAllowed about a quota, QuotaExceeded → Quota; 429 → Throttled (Retry-After);
 * AuthorizationFailed / 401 / 403 → Auth; in-use and another-operation conflicts → retryable
 * ProviderError; ResourceNotFound / 404 → NotFound; InvalidParameter / 400 / 409 → InvalidRequest;
 * 5xx → retryable ProviderError.
 */
export function mapArmFailure(
  failure: ArmFailure,
  context: ErrorContext,
  target?: ResourceHint,
): DriverError {
  // OperationNotAllowed is Azure's quota code, but also "not now" for other reasons: the message tells.
  const codes = failure.codes.map((code) =>
    normalise(code) === 'operationnotallowed' && /quota/i.test(failure.message)
      ? 'operationnotallowed_quota'
      : normalise(code),
  );
  const has = (list: string[]) => codes.some((code) => list.includes(code));
  const providerCode =
    failure.codes[0] ?? (failure.httpStatus === undefined ? undefined : String(failure.httpStatus));
  const withCode: ErrorContext = { ...context, ...(providerCode ? { providerCode } : {}) };
  const message = failure.message || `Azure failed with ${providerCode ?? 'an unknown error'}`;
  const status = failure.httpStatus;

  if (has(CAPACITY_CODES)) return new CapacityError(message, withCode);
  if (has(QUOTA_CODES)) return new QuotaError(message, withCode);
  if (has(THROTTLE_CODES) || status === 429) {
    const retryAfterMs = (failure.retryAfterSeconds ?? 0) * 1000 || DEFAULT_RETRY_AFTER_MS;
    return new ThrottledError(message, retryAfterMs, withCode);
  }
  if (has(AUTH_CODES) || status === 401 || status === 403) {
    return new AuthError(
      `${message} (check the connection's credentials: ${AZURE_CREDENTIAL_HINT})`,
      withCode,
    );
  }
  if (has(DEPENDENCY_CODES)) return new ProviderError(message, { retryable: true, context: withCode });
  if (has(NOT_FOUND_CODES) || status === 404) {
    return new NotFoundError(target?.kind ?? 'resource', target?.id ?? '?', withCode, message);
  }
  if (has(INVALID_CODES) || status === 400 || status === 409) {
    return new InvalidRequestError(message, withCode);
  }
  const retryable = has(TRANSIENT_CODES) || status === undefined || status >= 500;
  return new ProviderError(message, { retryable, context: withCode });
}

/** @azure/identity's error names: no credential found, or the one given was refused. */
const IDENTITY_ERRORS = ['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError'];

/** Maps anything an SDK threw; errors already typed pass through. */
export function mapThrown(error: unknown, context: ErrorContext, target?: ResourceHint): DriverError {
  if (isDriverError(error)) return error;
  const name = error instanceof Error ? error.name : '';
  const text = error instanceof Error ? error.message : String(error);
  if (IDENTITY_ERRORS.includes(name)) {
    // The identity library's messages list what it tried; they hold no secrets.
    return new AuthError(
      `Azure credentials are missing or refused: ${firstLine(text)} (${AZURE_CREDENTIAL_HINT})`,
      {
        ...context,
        providerCode: name,
      },
    );
  }
  if (name === 'AbortError' || name === 'TimeoutError') {
    // operationTimeoutMs ran out while polling: ARM may still finish the operation.
    return new ProviderError(`the operation did not finish in time and may still complete: ${text}`, {
      retryable: true,
      context: { ...context, providerCode: name },
    });
  }
  const failure = failureFromThrown(error);
  if (failure) return mapArmFailure(failure, context, target);
  return new ProviderError(text, {
    retryable: /ECONNRESET|ETIMEDOUT|ECONNREFUSED|socket hang up|EAI_AGAIN/.test(text),
    context,
  });
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.slice(0, 300) ?? '';
}
