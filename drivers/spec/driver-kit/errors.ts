// Plumbing shared by the drivers' error tables (provider code → the spec's typed errors).
// Why here: the tables differ per provider, but what a driver knows about the failed call and
// how the provider's code and message are carried in the typed error should not.
import type { ErrorContext } from '../errors.ts';
import type { ProviderId } from '../ids.ts';

/** What the driver knows about the resource a call was about, so NotFound names it. */
export interface ResourceHint {
  kind: string;
  id: string;
}

/** The message of anything thrown: its `message` when it has a string one, else its text. */
export function errorMessageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  return String(error);
}

/**
 * The context and text of a mapped error: the call's context with the provider (unless the
 * caller named one) and its code as `providerCode`; the text leads with the code ("Code: message").
 */
export function providerErrorParts(
  provider: ProviderId,
  context: ErrorContext,
  code: string | undefined,
  message: string,
): { context: ErrorContext; text: string } {
  return {
    context: { provider, ...context, ...(code ? { providerCode: code } : {}) },
    text: code ? `${code}: ${message}` : message,
  };
}

/** `value` as a record when it is a non-null object: provider error bodies are untyped JSON. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** The JSON in `text`, or undefined when it is none (error bodies may be empty, HTML or plain text). */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
