// Tool errors as the model sees them: a stable code, what went wrong, and the next step to take.
// Every failure of a tool becomes one of these; nothing escapes as a protocol crash.
import type { z } from 'zod';
import { CatalogInputError } from '../catalog/query/validate.ts';
import { DriverError } from '../drivers/spec/index.ts';
import { InstallError } from '../mci/apps/install.ts';
import { RecipeParameterError } from '../mci/apps/render.ts';
import { MciError } from '../mci/errors.ts';

export interface ToolErrorJson {
  code: string;
  message: string;
  /** What the caller should do now, written for a model. */
  next: string;
  retryable: boolean;
}

export class ToolError extends Error {
  override readonly name = 'ToolError';
  readonly retryable: boolean;

  constructor(
    readonly code: string,
    message: string,
    readonly next: string,
    options: { retryable?: boolean; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }

  /** Extra structured data returned with the error (e.g. the review behind NEEDS_CONFIRMATION). */
  readonly details: Record<string, unknown> | undefined;

  toJSON(): ToolErrorJson {
    return { code: this.code, message: this.message, next: this.next, retryable: this.retryable };
  }
}

/** The zod issues of a tool's input, one "field: problem" each. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path
        .map((part) => (typeof part === 'number' ? `[${part}]` : String(part)))
        .join('.');
      return `${path.replaceAll('.[', '[') || '(input)'}: ${issue.message}`;
    })
    .join('; ');
}

const MCI_NEXT: Record<string, string> = {
  MCI_INVALID_REQUEST:
    'Fix the fields named in the message and call again; reviewMCI shows every problem at once.',
  MCI_EXISTS: 'Choose another name, or use getMCI / scaleMCI on the existing MCI.',
  MCI_NOT_FOUND: 'Call listMCIs to see the names that exist.',
  OPERATION_NOT_FOUND:
    'Use the operationId returned by the tool that started it; getMCI lists recent operations.',
  OPERATION_BUSY:
    'Wait for the running operation (getOperation) or cancel it (cancelOperation), then call again.',
  OPERATION_CANCELLED: 'The operation was cancelled and cleaned up; start it again if it is still wanted.',
  LEASE_LOST: 'Another process took the operation over; follow it with getOperation.',
  PROCESS_DIED:
    'The process running it ended; it resumes when s2a starts again. Follow it with getOperation.',
  NO_CAPACITY:
    'Try other regions or providers (searchSpecs with near/providers), a smaller spec, or onFailure "failover".',
  BUDGET_EXCEEDED: 'Use fewer or cheaper nodes (searchSpecs sort cost), or raise the budget.',
  PROVIDER_FAILED: 'The cloud refused; read the message, then retry or choose another region/provider.',
};

const DRIVER_NEXT: Record<string, string> = {
  CAPACITY:
    'The cloud has no capacity there now: pick another zone, region or provider (searchSpecs), or retry later.',
  QUOTA:
    'The account quota is full: delete unused nodes, choose a smaller spec, or ask the provider for more quota.',
  THROTTLED: 'The cloud is rate limiting; retry in a few seconds.',
  NOT_FOUND: 'The resource does not exist (any more); list it again with the matching search/list tool.',
  AUTH: 'The credentials of this provider were refused; fix the connection settings (S2A_CONNECTIONS) and retry.',
  INVALID_REQUEST: 'The cloud rejected the request; fix the field it names and call again.',
  PROVIDER_ERROR: 'The cloud failed; retry, or choose another region or provider.',
};

/** Any thrown value → a ToolError with a next step. Unknown errors keep their message only. */
export function toToolError(error: unknown): ToolError {
  if (error instanceof ToolError) return error;
  if (error instanceof MciError) {
    const issues = error.issues.length > 0 ? ` Problems: ${error.issues.join('; ')}` : '';
    return new ToolError(
      error.code,
      `${error.message}${issues}`,
      MCI_NEXT[error.code] ?? 'Read the message and call again.',
      {
        retryable: error.retryable,
      },
    );
  }
  if (error instanceof DriverError) {
    return new ToolError(error.code, error.message, DRIVER_NEXT[error.code] ?? 'Retry later.', {
      retryable: error.retryable,
    });
  }
  if (error instanceof CatalogInputError) {
    return new ToolError(
      'INVALID_INPUT',
      error.message,
      'Fix the fields named in the message and call again.',
    );
  }
  if (error instanceof InstallError) {
    return new ToolError('INSTALL_REFUSED', error.message, error.nextStep || 'Fix what the message names.');
  }
  if (error instanceof RecipeParameterError) {
    return new ToolError(
      'INVALID_INPUT',
      error.message,
      `Fix parameter "${error.parameter}"; listApps shows each app's parameters.`,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ToolError(
    'INTERNAL',
    message,
    'This is a bug in s2a or its environment; retry once, then report it.',
    {
      retryable: true,
    },
  );
}
