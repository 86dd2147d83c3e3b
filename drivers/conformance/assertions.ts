import { setTimeout as sleep } from 'node:timers/promises';
import { assert, expect } from 'vitest';
import type { z } from 'zod';
import {
  AuthError,
  CapacityError,
  DRIVER_ERROR_CODES,
  DriverError,
  type DriverErrorCode,
  driverErrorFromJson,
  InvalidRequestError,
  NotFoundError,
  ProviderError,
  type ProviderId,
  QuotaError,
  type SecurityRule,
  type Tags,
  ThrottledError,
} from '../spec/index.ts';

/** Checks `value` against a spec schema and returns it unchanged (parsing would drop extra fields). */
export function expectValid<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  what: string,
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    assert.fail(`${what} does not match its schema: ${issues.join('; ')}\n${JSON.stringify(value, null, 2)}`);
  }
  return value as z.output<Schema>;
}

/** A spec error class; abstract so DriverError itself can be expected. */
export type DriverErrorClass = abstract new (...args: never[]) => DriverError;

const CLASS_BY_CODE: Record<DriverErrorCode, DriverErrorClass> = {
  CAPACITY: CapacityError,
  QUOTA: QuotaError,
  THROTTLED: ThrottledError,
  NOT_FOUND: NotFoundError,
  AUTH: AuthError,
  INVALID_REQUEST: InvalidRequestError,
  PROVIDER_ERROR: ProviderError,
};

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * What every error a driver throws must satisfy: a spec class matching its code, and a JSON form
 * that `driverErrorFromJson` turns back into the same error (journals and MCP results rely on it).
 */
export function expectWellFormedDriverError(
  error: unknown,
  provider: ProviderId,
  what: string,
): asserts error is DriverError {
  if (!(error instanceof DriverError)) {
    assert.fail(`${what}: expected a DriverError, got ${describeError(error)}`);
  }
  expect(DRIVER_ERROR_CODES, `${what}: code`).toContain(error.code);
  expect(error, `${what}: ${error.name} carries code ${error.code}`).toBeInstanceOf(
    CLASS_BY_CODE[error.code],
  );
  expect(typeof error.retryable, `${what}: retryable`).toBe('boolean');
  expect(error.message.length, `${what}: message`).toBeGreaterThan(0);
  if (error.context.provider !== undefined) {
    expect(error.context.provider, `${what}: context.provider`).toBe(provider);
  }
  if (error instanceof InvalidRequestError) {
    expect(Array.isArray(error.issues), `${what}: issues`).toBe(true);
  }
  const json = JSON.parse(JSON.stringify(error));
  const rebuilt = driverErrorFromJson(json);
  expect(rebuilt, `${what}: rebuilt from JSON`).toBeInstanceOf(CLASS_BY_CODE[error.code]);
  // Fails for NotFoundError with a hint until driverErrorFromJson keeps hints (drivers/spec/errors.ts).
  expect(rebuilt.message, `${what}: message rebuilt from JSON`).toBe(error.message);
  expect(
    JSON.parse(JSON.stringify(rebuilt)),
    `${what}: toJSON round-trips through driverErrorFromJson`,
  ).toEqual(json);
}

export interface ExpectErrorOptions {
  provider: ProviderId;
  /** Receives what the call returned when it wrongly succeeded, e.g. to clean up a created VM. */
  onUnexpectedSuccess?: (value: unknown) => void;
}

/**
 * Runs `call`, expects it to throw an instance of one of `classes`, checks the error is well
 * formed and returns it. Throttling is waited out (a few times) unless ThrottledError is expected.
 */
export async function expectDriverError<Class extends DriverErrorClass>(
  what: string,
  call: () => Promise<unknown>,
  classes: readonly Class[],
  options: ExpectErrorOptions,
): Promise<InstanceType<Class>> {
  const expected = classes.map((errorClass) => errorClass.name).join(' or ');
  const waitOutThrottling = !classes.some((errorClass: DriverErrorClass) => errorClass === ThrottledError);
  for (let attempt = 1; ; attempt += 1) {
    let value: unknown;
    try {
      value = await call();
    } catch (error) {
      if (waitOutThrottling && error instanceof ThrottledError && attempt < 6) {
        await sleep(Math.min(Math.max(error.retryAfterMs, 1), 10_000));
        continue;
      }
      expectWellFormedDriverError(error, options.provider, what);
      if (!classes.some((errorClass) => error instanceof errorClass)) {
        assert.fail(`${what}: expected ${expected}, got ${describeError(error)}`);
      }
      return error as InstanceType<Class>;
    }
    options.onUnexpectedSuccess?.(value);
    assert.fail(`${what}: expected ${expected}, but the call succeeded`);
  }
}

/** Every requested tag is on the resource with the requested value (providers may add their own). */
export function expectTags(actual: Tags, requested: Tags, what: string): void {
  for (const [key, value] of Object.entries(requested)) {
    expect(actual[key], `${what}: tag ${key}`).toBe(value);
  }
}

/** Compares the ids of `resources` with `expectedIds`, ignoring order. */
export function expectIds(
  resources: readonly { id: string }[],
  expectedIds: readonly string[],
  what: string,
) {
  const actual = resources.map((resource) => resource.id).sort();
  expect(actual, what).toEqual([...expectedIds].sort());
}

/** A rule's meaning, without its description (not every provider keeps descriptions). */
export function ruleKey(rule: SecurityRule): string {
  return `${rule.direction} ${rule.protocol} ${rule.fromPort ?? '*'}-${rule.toPort ?? '*'} ${rule.cidr}`;
}

/** Inbound rules must be exactly the requested ones; outbound rules must include the requested ones. */
export function expectRules(
  actual: readonly SecurityRule[],
  requested: readonly SecurityRule[],
  what: string,
) {
  const keys = (rules: readonly SecurityRule[], direction: SecurityRule['direction']) =>
    rules
      .filter((rule) => rule.direction === direction)
      .map(ruleKey)
      .sort();
  expect(keys(actual, 'inbound'), `${what}: inbound rules`).toEqual([...new Set(keys(requested, 'inbound'))]);
  expect(keys(actual, 'outbound'), `${what}: outbound rules`).toEqual(
    expect.arrayContaining(keys(requested, 'outbound')),
  );
}

function ipv4ToNumber(address: string): number | undefined {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) {
    return undefined;
  }
  return parts.reduce((total, part) => total * 256 + part, 0);
}

/** True when `address` (an IPv4 address or a CIDR's base address) lies inside `cidr`. */
export function cidrContains(cidr: string, address: string): boolean {
  const [base = '', bitsText = ''] = cidr.split('/');
  const baseNumber = ipv4ToNumber(base);
  const addressNumber = ipv4ToNumber(address.split('/')[0] ?? '');
  const bits = Number(bitsText);
  if (baseNumber === undefined || addressNumber === undefined || !(bits >= 0 && bits <= 32)) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(baseNumber / size) === Math.floor(addressNumber / size);
}
