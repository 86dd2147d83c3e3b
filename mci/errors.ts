/** Errors of the MCI engine: a stable `code`, `retryable`, and a message that says what to do. */
export type MciErrorCode =
  | 'MCI_INVALID_REQUEST'
  | 'MCI_EXISTS'
  | 'MCI_NOT_FOUND'
  | 'OPERATION_NOT_FOUND'
  | 'OPERATION_BUSY'
  | 'OPERATION_CANCELLED'
  | 'LEASE_LOST'
  | 'PROCESS_DIED'
  | 'NO_CAPACITY'
  | 'BUDGET_EXCEEDED'
  | 'PROVIDER_FAILED';

export class MciError extends Error {
  readonly code: MciErrorCode;
  readonly retryable: boolean;
  /** One line per problem, naming the field, for requests refused before anything was created. */
  readonly issues: string[];

  constructor(
    code: MciErrorCode,
    message: string,
    options: { retryable?: boolean; issues?: string[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MciError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.issues = options.issues ?? [];
  }

  toJSON(): { code: MciErrorCode; message: string; retryable: boolean; issues: string[] } {
    return { code: this.code, message: this.message, retryable: this.retryable, issues: this.issues };
  }
}
