import type { ProviderId } from './ids.ts';

export const DRIVER_ERROR_CODES = [
  'CAPACITY',
  'QUOTA',
  'THROTTLED',
  'NOT_FOUND',
  'AUTH',
  'INVALID_REQUEST',
  'PROVIDER_ERROR',
] as const;
export type DriverErrorCode = (typeof DRIVER_ERROR_CODES)[number];

/** Where an error happened; every field optional because not every failure knows all of them. */
export interface ErrorContext {
  provider?: ProviderId;
  region?: string;
  zone?: string;
  operation?: string;
  /** The provider's own error code, e.g. "InsufficientInstanceCapacity". */
  providerCode?: string;
}

export interface DriverErrorJson extends ErrorContext {
  name: string;
  code: DriverErrorCode;
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
  details?: Record<string, unknown>;
}

/**
 * Base of every error a driver throws. `retryable` tells the engine whether the same call may
 * succeed later (throttling, dependency still settling); `code` is stable for programs.
 */
export abstract class DriverError extends Error {
  abstract readonly code: DriverErrorCode;
  readonly retryable: boolean;
  readonly context: ErrorContext;
  readonly details: Record<string, unknown>;

  constructor(
    message: string,
    options: {
      retryable: boolean;
      context?: ErrorContext;
      details?: Record<string, unknown>;
      cause?: unknown;
    },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable;
    this.context = options.context ?? {};
    this.details = options.details ?? {};
  }

  toJSON(): DriverErrorJson {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...this.context,
      ...(Object.keys(this.details).length > 0 ? { details: this.details } : {}),
    };
  }
}

/** No capacity for this spec in the zone/region. Retrying the same place rarely helps: fail over. */
export class CapacityError extends DriverError {
  readonly code = 'CAPACITY' as const;
  constructor(message: string, context: ErrorContext = {}, details?: Record<string, unknown>) {
    super(message, { retryable: false, context, details });
  }
}

/** An account limit (vCPUs, GPUs, instances) would be exceeded. */
export class QuotaError extends DriverError {
  readonly code = 'QUOTA' as const;
  constructor(
    message: string,
    context: ErrorContext & { quota?: string; limit?: number; used?: number; requested?: number } = {},
  ) {
    const { quota, limit, used, requested, ...rest } = context;
    super(message, { retryable: false, context: rest, details: { quota, limit, used, requested } });
  }
}

/** The provider's API rate limit was hit. Wait `retryAfterMs`, then retry. */
export class ThrottledError extends DriverError {
  readonly code = 'THROTTLED' as const;
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, context: ErrorContext = {}) {
    super(message, { retryable: true, context });
    this.retryAfterMs = Math.max(0, Math.ceil(retryAfterMs));
  }
  override toJSON(): DriverErrorJson {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs };
  }
}

export class NotFoundError extends DriverError {
  readonly code = 'NOT_FOUND' as const;
  constructor(
    readonly resourceKind: string,
    readonly resourceId: string,
    context: ErrorContext = {},
    hint?: string,
  ) {
    super(`${resourceKind} ${resourceId} was not found${hint ? `: ${hint}` : ''}`, {
      retryable: false,
      context,
      details: { resourceKind, resourceId, ...(hint ? { hint } : {}) },
    });
  }
}

/** Credentials missing, expired or not allowed to do this. */
export class AuthError extends DriverError {
  readonly code = 'AUTH' as const;
  constructor(message: string, context: ErrorContext = {}) {
    super(message, { retryable: false, context });
  }
}

/** The request itself is wrong; `issues` names the fields. Fix the input, do not retry. */
export class InvalidRequestError extends DriverError {
  readonly code = 'INVALID_REQUEST' as const;
  readonly issues: string[];
  constructor(message: string, context: ErrorContext = {}, issues: string[] = []) {
    super(message, { retryable: false, context, details: issues.length > 0 ? { issues } : undefined });
    this.issues = issues;
  }
}

/**
 * Everything else, keeping the provider's code and message. Retryable when the provider says the
 * call may succeed later (a dependency still being deleted, a timeout, an internal error).
 */
export class ProviderError extends DriverError {
  readonly code = 'PROVIDER_ERROR' as const;
  constructor(
    message: string,
    options: {
      retryable: boolean;
      context?: ErrorContext;
      details?: Record<string, unknown>;
      cause?: unknown;
    },
  ) {
    super(message, options);
  }
}

export function isDriverError(error: unknown): error is DriverError {
  return error instanceof DriverError;
}

/** True when the same call may succeed if tried again later. */
export function isRetryable(error: unknown): boolean {
  return isDriverError(error) && error.retryable;
}

/** Rebuilds a typed error from its JSON form (journals, MCP results, other processes). */
export function driverErrorFromJson(json: DriverErrorJson): DriverError {
  const { code, message, retryable, retryAfterMs, details, name: _name, ...context } = json;
  switch (code) {
    case 'CAPACITY':
      return new CapacityError(message, context, details);
    case 'QUOTA':
      return new QuotaError(message, { ...context, ...(details as object) });
    case 'THROTTLED':
      return new ThrottledError(message, retryAfterMs ?? 1000, context);
    case 'NOT_FOUND':
      return new NotFoundError(
        String(details?.resourceKind ?? 'resource'),
        String(details?.resourceId ?? '?'),
        context,
        typeof details?.hint === 'string' ? details.hint : undefined,
      );
    case 'AUTH':
      return new AuthError(message, context);
    case 'INVALID_REQUEST':
      return new InvalidRequestError(message, context, (details?.issues as string[] | undefined) ?? []);
    case 'PROVIDER_ERROR':
      return new ProviderError(message, { retryable, context, details });
  }
}
