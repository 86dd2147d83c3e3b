// What every driver's error-table test checks of a mapped error.
// Why here: a mapped error must be the expected class, say whether to retry, keep the provider and
// its code, and survive JSON (journals and MCP results carry errors as JSON); one copy of those
// checks keeps every driver's table tested the same way.
import { expect } from 'vitest';
import { type DriverError, driverErrorFromJson } from '../errors.ts';
import type { ProviderId } from '../ids.ts';

export interface ExpectedTypedError {
  type: abstract new (...args: never[]) => DriverError;
  retryable: boolean;
  provider: ProviderId;
  providerCode: string;
}

/** Asserts that `error` is the typed error `expected` describes, and that its class survives JSON. */
export function expectTypedError(error: DriverError, expected: ExpectedTypedError): void {
  expect(error).toBeInstanceOf(expected.type);
  expect(error.retryable).toBe(expected.retryable);
  expect(error.context.providerCode).toBe(expected.providerCode);
  expect(error.context.provider).toBe(expected.provider);
  expect(driverErrorFromJson(JSON.parse(JSON.stringify(error)))).toBeInstanceOf(expected.type);
}
