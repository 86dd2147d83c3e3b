import { z } from 'zod';
import { ProviderIdSchema } from '../spec/index.ts';
import { FaultRuleSchema } from './sim-faults.ts';

const BucketSchema = z.object({
  burst: z.number().positive().describe('Bucket size: calls allowed at once'),
  perSecond: z.number().positive().describe('Refill rate'),
});

const QuotaOverrideSchema = z.object({
  provider: ProviderIdSchema.optional(),
  region: z.string().optional(),
  vcpu: z.number().int().nonnegative().optional(),
  gpu: z.number().nonnegative().optional(),
});

const CapacityOverrideSchema = z.object({
  provider: ProviderIdSchema.optional(),
  region: z.string().optional(),
  zone: z.string().optional(),
  spec: z.string().optional().describe('Spec name, e.g. "g5.xlarge"'),
  units: z.number().int().nonnegative().describe('VMs of that spec the zone can hold at once'),
});

export const SimConfigSchema = z.object({
  account: z
    .string()
    .regex(/^[a-z0-9][-a-z0-9_.]{0,62}$/, 'lower-case letters, digits, "-", "_" and "."')
    .default('default')
    .describe('Independent sim accounts share nothing; tests use their own'),
  timeScale: z
    .number()
    .positive()
    .max(100)
    .default(1)
    .describe('Multiplies every latency: 0.01 makes a 40 s boot take 0.4 s'),
  seed: z.number().int().optional().describe('Seed for fault rates and ids, for repeatable runs'),
  rateLimits: z
    .union([
      z.literal(false),
      z.partialRecord(ProviderIdSchema, z.object({ read: BucketSchema, mutate: BucketSchema })),
    ])
    .default({})
    .describe('false turns API rate limits off; otherwise per-provider overrides of the profiles'),
  quotas: z
    .object({
      vcpuPerRegion: z.number().int().nonnegative().default(1024),
      gpuPerRegion: z.number().nonnegative().default(64),
      overrides: z.array(QuotaOverrideSchema).default([]),
    })
    .prefault({}),
  capacity: z
    .object({
      cpuPerZoneSpec: z.number().int().nonnegative().default(500),
      gpuPerZoneSpec: z.number().int().nonnegative().default(16),
      overrides: z.array(CapacityOverrideSchema).default([]),
    })
    .prefault({}),
  faults: z.array(FaultRuleSchema).default([]),
  /** Lets tests skip API latency while keeping VM transition latencies. */
  apiLatency: z.boolean().default(true),
});
export type SimConfigInput = z.input<typeof SimConfigSchema>;
export type SimConfig = z.output<typeof SimConfigSchema>;

const EnvironmentSchema = z.object({
  S2A_SIM_ACCOUNT: z.string().optional(),
  S2A_SIM_TIME_SCALE: z.coerce.number().positive().max(100).optional(),
  S2A_SIM_SEED: z.coerce.number().int().optional(),
  S2A_SIM_RATE_LIMITS: z.enum(['on', 'off']).optional(),
  S2A_SIM_VCPU_QUOTA: z.coerce.number().int().nonnegative().optional(),
  S2A_SIM_GPU_QUOTA: z.coerce.number().nonnegative().optional(),
  S2A_SIM_FAULTS: z.string().optional(),
});

/**
 * Reads the sim's environment variables (documented in the README and .env.example) into a config.
 * Throws an Error naming the variable and the fix when a value is wrong.
 */
export function simConfigFromEnvironment(
  environment: Record<string, string | undefined> = process.env,
  base: SimConfigInput = {},
): SimConfig {
  const parsed = EnvironmentSchema.safeParse(environment);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `invalid sim setting ${String(issue?.path[0])}: ${issue?.message}. Fix or unset it (see .env.example).`,
    );
  }
  const values = parsed.data;
  let faults: unknown[] = [];
  if (values.S2A_SIM_FAULTS) {
    try {
      faults = JSON.parse(values.S2A_SIM_FAULTS) as unknown[];
    } catch {
      throw new Error(
        'S2A_SIM_FAULTS must be a JSON array of fault rules, e.g. [{"kind":"capacity","provider":"aws"}]',
      );
    }
  }
  const input: SimConfigInput = {
    ...base,
    ...(values.S2A_SIM_ACCOUNT ? { account: values.S2A_SIM_ACCOUNT } : {}),
    ...(values.S2A_SIM_TIME_SCALE ? { timeScale: values.S2A_SIM_TIME_SCALE } : {}),
    ...(values.S2A_SIM_SEED !== undefined ? { seed: values.S2A_SIM_SEED } : {}),
    ...(values.S2A_SIM_RATE_LIMITS === 'off' ? { rateLimits: false as const } : {}),
    quotas: {
      ...base.quotas,
      ...(values.S2A_SIM_VCPU_QUOTA !== undefined ? { vcpuPerRegion: values.S2A_SIM_VCPU_QUOTA } : {}),
      ...(values.S2A_SIM_GPU_QUOTA !== undefined ? { gpuPerRegion: values.S2A_SIM_GPU_QUOTA } : {}),
    },
    faults: [...(base.faults ?? []), ...(faults as SimConfigInput['faults'] & unknown[])],
  };
  const result = SimConfigSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`invalid sim configuration at ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return result.data;
}
