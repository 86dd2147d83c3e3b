import type { z } from 'zod';

/** An input the catalog cannot answer: the message says what to change. */
export class CatalogInputError extends Error {
  override readonly name = 'CatalogInputError';
}

/**
 * Parses `input` with one of the contract's zod schemas (catalog/types.ts); a bad input throws a
 * CatalogInputError naming each field and what is wrong with it.
 */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  what: string,
): z.output<Schema> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(input)';
    return `${path}: ${issue.message}`;
  });
  throw new CatalogInputError(`${what}: invalid input; fix ${problems.join('; ')}`);
}
