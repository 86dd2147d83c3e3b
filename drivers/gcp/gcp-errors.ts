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

/** Throttled calls without a Retry-After header wait this long: Compute quotas refill per minute. */
const DEFAULT_RETRY_AFTER_MS = 2_000;

/**
 * One Compute failure, whichever way it arrived: an HTTP error body
 * (`{"error": {"code", "message", "errors": [{"reason", "message"}], "status"}}`) or the `error`
 * of a finished Operation (`{"errors": [{"code", "message"}]}`, with `httpErrorStatusCode`).
 */
export interface ComputeFailure {
  httpStatus: number | undefined;
  /** Reasons (HTTP errors) or codes (operation errors), as the provider wrote them. */
  reasons: string[];
  message: string;
  /** Seconds from a Retry-After header, when the server sent one. */
  retryAfterSeconds?: number;
}

interface ErrorBodyItem {
  reason?: unknown;
  code?: unknown;
  message?: unknown;
}

function itemsOf(list: unknown): ErrorBodyItem[] {
  return Array.isArray(list)
    ? list.filter((item): item is ErrorBodyItem => asRecord(item) !== undefined)
    : [];
}

/** Reads an HTTP error body (object or JSON text) into a failure. */
export function failureFromBody(body: unknown, httpStatus: number | undefined): ComputeFailure | undefined {
  const parsed = typeof body === 'string' ? parseJsonOrUndefined(body) : body;
  const error = asRecord(asRecord(parsed)?.error);
  if (!error) return undefined;
  const items = itemsOf(error.errors);
  const reasons = items
    .map((item) => item.reason ?? item.code)
    .filter((reason): reason is string => typeof reason === 'string');
  if (typeof error.status === 'string') reasons.push(error.status);
  const code = typeof error.code === 'number' ? error.code : httpStatus;
  const message =
    typeof error.message === 'string'
      ? error.message
      : items.map((item) => String(item.message ?? '')).join('; ');
  return { httpStatus: code, reasons, message };
}

/** Reads the `error` of a finished Operation resource. */
export function failureFromOperation(operation: {
  error?: { errors?: unknown } | null;
  httpErrorStatusCode?: number | null;
  httpErrorMessage?: string | null;
}): ComputeFailure | undefined {
  const items = itemsOf(operation.error?.errors);
  if (items.length === 0) return undefined;
  return {
    httpStatus: operation.httpErrorStatusCode ?? undefined,
    reasons: items
      .map((item) => item.code ?? item.reason)
      .filter((code): code is string => typeof code === 'string'),
    message:
      items.map((item) => String(item.message ?? item.code ?? '')).join('; ') ||
      (operation.httpErrorMessage ?? ''),
  };
}

/**
 * Reads what the client library threw. The REST fallback throws a GaxiosError whose `response.data`
 * (or `message`) is the error body and whose `code`/`status` is the HTTP status.
 */
export function failureFromThrown(error: unknown): ComputeFailure | undefined {
  const record = asRecord(error);
  if (!record) return undefined;
  const response = asRecord(record.response);
  const status =
    typeof response?.status === 'number'
      ? response.status
      : typeof record.status === 'number'
        ? record.status
        : typeof record.code === 'number'
          ? record.code
          : undefined;
  const headers = asRecord(response?.headers);
  const retryAfterHeader = headers?.['retry-after'];
  const retryAfterSeconds = typeof retryAfterHeader === 'string' ? Number(retryAfterHeader) : undefined;
  const failure =
    failureFromBody(response?.data, status) ??
    (typeof record.message === 'string' ? failureFromBody(record.message, status) : undefined);
  if (failure) {
    return Number.isFinite(retryAfterSeconds) ? { ...failure, retryAfterSeconds } : failure;
  }
  if (status === undefined) return undefined;
  return {
    httpStatus: status,
    reasons: [],
    message: typeof record.message === 'string' ? record.message : `HTTP ${status}`,
  };
}

/** Lower case without separators, so "ZONE_RESOURCE_POOL_EXHAUSTED" and "zoneResourcePoolExhausted" compare equal. */
function normalise(reason: string): string {
  return reason.replace(/[_-]/g, '').toLowerCase();
}

const CAPACITY_REASONS = [
  'zoneresourcepoolexhausted',
  'zoneresourcepoolexhaustedwithdetails',
  'resourcepoolexhausted',
];
const QUOTA_REASONS = ['quotaexceeded', 'quotaexceededwithdetails'];
const THROTTLE_REASONS = ['ratelimitexceeded', 'userratelimitexceeded', 'resourceexhausted'];
const AUTH_REASONS = [
  'autherror',
  'unauthenticated',
  'forbidden',
  'permissiondenied',
  'insufficientpermissions',
];
const DEPENDENCY_REASONS = [
  'resourceinusebyanotherresource',
  'resourcenotready',
  'resourceoperationratelimitexceeded',
];
const NOT_FOUND_REASONS = ['notfound'];
const INVALID_REASONS = [
  'invalid',
  'badrequest',
  'invalidargument',
  'required',
  'invalidparameter',
  'alreadyexists',
  'conditionnotmet',
];
const TRANSIENT_REASONS = ['internalerror', 'backenderror', 'unavailable', 'deadlineexceeded'];

/**
 * Maps one Compute failure to the typed error, reasons first (they are specific), then the HTTP status.
 * Row by row: ZONE_RESOURCE_POOL_EXHAUSTED(_WITH_DETAILS) → Capacity; QUOTA_EXCEEDED → Quota;
 * rateLimitExceeded/429 → Throttled; 401/403 → Auth; resourceInUseByAnotherResource → retryable
 * ProviderError; notFound/404 → NotFound; invalid/400 → InvalidRequest; 5xx → retryable ProviderError.
 */
export function mapComputeFailure(
  failure: ComputeFailure,
  context: ErrorContext,
  target?: ResourceHint,
): DriverError {
  const reasons = failure.reasons.map(normalise);
  const has = (list: string[]) => reasons.some((reason) => list.includes(reason));
  const providerCode =
    failure.reasons[0] ?? (failure.httpStatus === undefined ? undefined : String(failure.httpStatus));
  const withCode: ErrorContext = { ...context, ...(providerCode ? { providerCode } : {}) };
  const message = failure.message || `Compute Engine failed with ${providerCode ?? 'an unknown error'}`;
  const status = failure.httpStatus;

  if (has(CAPACITY_REASONS)) return new CapacityError(message, withCode);
  if (has(QUOTA_REASONS)) return new QuotaError(message, withCode);
  if (has(THROTTLE_REASONS) || status === 429) {
    const retryAfterMs = (failure.retryAfterSeconds ?? 0) * 1000 || DEFAULT_RETRY_AFTER_MS;
    return new ThrottledError(message, retryAfterMs, withCode);
  }
  if (has(DEPENDENCY_REASONS)) return new ProviderError(message, { retryable: true, context: withCode });
  if (has(AUTH_REASONS) || status === 401 || status === 403) {
    return new AuthError(
      `${message} (check the connection's credentials: GOOGLE_APPLICATION_CREDENTIALS, the credentialsFile of the gcp connection, or gcloud auth application-default login)`,
      withCode,
    );
  }
  if (has(NOT_FOUND_REASONS) || status === 404) {
    return new NotFoundError(target?.kind ?? 'resource', target?.id ?? '?', withCode, message);
  }
  if (has(INVALID_REASONS) || status === 400 || status === 409 || status === 412) {
    return new InvalidRequestError(message, withCode);
  }
  const retryable = has(TRANSIENT_REASONS) || status === undefined || status >= 500;
  return new ProviderError(message, { retryable, context: withCode });
}

/** Maps anything the client library threw; errors already typed pass through. */
export function mapThrown(error: unknown, context: ErrorContext, target?: ResourceHint): DriverError {
  if (isDriverError(error)) return error;
  const failure = failureFromThrown(error);
  if (failure) return mapComputeFailure(failure, context, target);
  const text = error instanceof Error ? error.message : String(error);
  // google-auth-library fails before any request when it has no usable credentials.
  if (/credential|refresh token|access token|invalid_grant|unauthori[sz]ed_client/i.test(text)) {
    return new AuthError(
      `${text} (set GOOGLE_APPLICATION_CREDENTIALS or the gcp connection's credentialsFile, or run gcloud auth application-default login)`,
      context,
    );
  }
  return new ProviderError(text, {
    retryable: /ECONNRESET|ETIMEDOUT|socket hang up|EAI_AGAIN/.test(text),
    context,
  });
}
