import { z } from 'zod';
import { DRIVER_OPERATIONS, ProviderIdSchema } from '../spec/index.ts';

/**
 * Fault injection: rules that make matching calls fail the way a real cloud fails.
 *
 * - capacity: CapacityError (a zone or region outage when scoped to it)
 * - quota:    QuotaError
 * - throttle: ThrottledError with `retryAfterMs`
 * - auth:     AuthError
 * - error:    a retryable ProviderError (the provider's internal error)
 * - timeout:  the call hangs `delayMs`, then fails with a retryable timeout; with `applied: true`
 *             the change happened anyway, as with a real cloud whose answer was lost
 * - boot-failure: on `boot`, the VM is created but ends Failed instead of Running
 */
export const FAULT_KINDS = [
  'capacity',
  'quota',
  'throttle',
  'auth',
  'error',
  'timeout',
  'boot-failure',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** `boot` is the moment a created VM would become Running. */
export const FAULT_OPERATIONS = [...DRIVER_OPERATIONS, 'boot'] as const;
export type FaultOperation = (typeof FAULT_OPERATIONS)[number];

export const FaultRuleSchema = z
  .object({
    id: z.string().min(1).optional().describe('Name of the rule, to remove it later'),
    provider: ProviderIdSchema.optional().describe('Only calls to this provider; all when omitted'),
    region: z.string().min(1).optional().describe('Only this region code'),
    zone: z.string().min(1).optional().describe('Only VMs placed in this zone code'),
    operation: z.enum(FAULT_OPERATIONS).optional().describe('Only this driver operation'),
    kind: z.enum(FAULT_KINDS),
    rate: z.number().min(0).max(1).default(1).describe('Probability that a matching call fails'),
    times: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Fire at most this many times; unlimited when omitted'),
    retryAfterMs: z.number().int().nonnegative().default(1000).describe('throttle: the retry-after given'),
    delayMs: z.number().int().nonnegative().default(2000).describe('timeout: how long the call hangs'),
    applied: z.boolean().default(false).describe('timeout: whether the change happened anyway'),
    message: z.string().optional(),
  })
  .refine(
    (rule) => rule.kind !== 'boot-failure' || rule.operation === undefined || rule.operation === 'boot',
    {
      message: 'boot-failure only applies to operation "boot"',
    },
  );
export type FaultRuleInput = z.input<typeof FaultRuleSchema>;
export type FaultRule = z.output<typeof FaultRuleSchema>;

export interface FaultCall {
  provider: string;
  operation: FaultOperation;
  region: string | undefined;
  zone: string | undefined;
}

export function faultMatches(rule: FaultRule, call: FaultCall): boolean {
  if (rule.provider !== undefined && rule.provider !== call.provider) return false;
  if (rule.operation !== undefined && rule.operation !== call.operation) return false;
  // boot-failure rules without an operation still only fire at boot.
  if (rule.kind === 'boot-failure' && call.operation !== 'boot') return false;
  if (rule.kind !== 'boot-failure' && call.operation === 'boot') return false;
  if (rule.region !== undefined && rule.region !== call.region) return false;
  if (rule.zone !== undefined && rule.zone !== call.zone) return false;
  return true;
}
