import type { z } from 'zod';
import { type ErrorContext, InvalidRequestError } from './errors.ts';

/**
 * Parses input at a driver's edge. Bad input becomes an InvalidRequestError naming every field
 * and what is wrong with it, so a caller (or a model) can fix the request.
 */
export function parseRequest<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  context: ErrorContext,
): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map(
    (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(request)'}: ${issue.message}`,
  );
  throw new InvalidRequestError(
    `invalid ${context.operation ?? 'request'}: ${issues.join('; ')}`,
    context,
    issues,
  );
}
