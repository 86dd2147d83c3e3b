import {
  AuthError,
  CapacityError,
  type ErrorContext,
  InvalidRequestError,
  ProviderError,
  QuotaError,
  ThrottledError,
} from '../spec/index.ts';
import type { ProviderProfile } from './sim-profiles.ts';

/**
 * Builds the typed errors the sim throws, carrying the provider's own error code so that logs and
 * error-mapping code see what the real cloud would have said.
 */
export class SimErrors {
  constructor(private readonly profile: ProviderProfile) {}

  private context(
    operation: string,
    region: string | undefined,
    zone: string | undefined,
    code: string,
  ): ErrorContext {
    return {
      provider: this.profile.provider,
      operation,
      providerCode: code,
      ...(region !== undefined ? { region } : {}),
      ...(zone !== undefined ? { zone } : {}),
    };
  }

  capacity(
    operation: string,
    region: string,
    zone: string | undefined,
    specName: string,
    detail?: string,
  ): CapacityError {
    const where = zone ? `zone ${zone}` : `region ${region}`;
    return new CapacityError(
      `${this.profile.errorCodes.capacity}: not enough ${specName} capacity in ${where}${detail ? ` (${detail})` : ''}. ` +
        'Try another zone or region, or a different spec.',
      this.context(operation, region, zone, this.profile.errorCodes.capacity),
      { spec: specName },
    );
  }

  quota(
    operation: string,
    region: string,
    quota: string,
    limit: number,
    used: number,
    requested: number,
  ): QuotaError {
    return new QuotaError(
      `${this.profile.errorCodes.quota}: ${quota} quota in ${region} is ${limit}, ${used} in use, ${requested} requested. ` +
        'Ask the provider for a higher quota, free some, or use another region.',
      {
        ...this.context(operation, region, undefined, this.profile.errorCodes.quota),
        quota,
        limit,
        used,
        requested,
      },
    );
  }

  throttled(operation: string, region: string | undefined, retryAfterMs: number): ThrottledError {
    return new ThrottledError(
      `${this.profile.errorCodes.throttle}: request rate exceeded; retry after ${retryAfterMs} ms`,
      retryAfterMs,
      this.context(operation, region, undefined, this.profile.errorCodes.throttle),
    );
  }

  auth(operation: string, region: string | undefined, message?: string): AuthError {
    return new AuthError(
      `${this.profile.errorCodes.auth}: ${message ?? 'credentials were rejected'}. Check the connection's credentials.`,
      this.context(operation, region, undefined, this.profile.errorCodes.auth),
    );
  }

  internal(operation: string, region: string | undefined, message?: string): ProviderError {
    return new ProviderError(
      `${this.profile.errorCodes.internal}: ${message ?? 'the provider had an internal error'}`,
      {
        retryable: true,
        context: this.context(operation, region, undefined, this.profile.errorCodes.internal),
      },
    );
  }

  timeout(operation: string, region: string | undefined, applied: boolean): ProviderError {
    return new ProviderError(
      `${this.profile.errorCodes.timeout}: no answer in time; the change may or may not have happened. ` +
        'List resources by tag before retrying a create.',
      {
        retryable: true,
        context: this.context(operation, region, undefined, this.profile.errorCodes.timeout),
        details: { applied },
      },
    );
  }

  dependency(operation: string, region: string, what: string, dependents: string[]): ProviderError {
    return new ProviderError(
      `${this.profile.errorCodes.dependency}: ${what} has dependent resources (${dependents.slice(0, 5).join(', ')}${
        dependents.length > 5 ? ', …' : ''
      }); delete them first or retry when they are gone`,
      {
        retryable: true,
        context: this.context(operation, region, undefined, this.profile.errorCodes.dependency),
        details: { dependents },
      },
    );
  }

  incorrectState(
    operation: string,
    region: string,
    vmId: string,
    status: string,
    wanted: string,
  ): ProviderError {
    return new ProviderError(
      `${this.profile.errorCodes.incorrectState}: VM ${vmId} is ${status}; ${operation} needs it ${wanted}. Retry when it is.`,
      {
        retryable: true,
        context: this.context(operation, region, undefined, this.profile.errorCodes.incorrectState),
      },
    );
  }

  invalid(
    operation: string,
    region: string | undefined,
    message: string,
    issues: string[] = [],
  ): InvalidRequestError {
    return new InvalidRequestError(
      message,
      { provider: this.profile.provider, operation, ...(region ? { region } : {}) },
      issues,
    );
  }

  duplicate(operation: string, region: string, kind: string, name: string): InvalidRequestError {
    return new InvalidRequestError(
      `${this.profile.errorCodes.duplicate}: a ${kind} named "${name}" already exists in ${region}; choose another name or delete it`,
      this.context(operation, region, undefined, this.profile.errorCodes.duplicate),
      ['name'],
    );
  }
}
