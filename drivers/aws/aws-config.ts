// Connection settings of the AWS driver. Plain zod, no SDK: runtime/config.ts reads it at startup.
import { z } from 'zod';

export const AwsCredentialsSchema = z
  .object({
    accessKeyId: z.string().min(1),
    secretAccessKey: z.string().min(1),
    sessionToken: z.string().min(1).optional(),
  })
  .describe('Explicit keys; omit to use the standard chain (environment, ~/.aws profiles, SSO)');

export const AwsConnectionSchema = z.object({
  driver: z.literal('aws'),
  region: z
    .string()
    .min(1)
    .optional()
    .describe('Home region for region-less calls; default AWS_REGION, else us-east-1'),
  regions: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('Regions that lists without a region cover; default the home region'),
  profile: z.string().min(1).optional().describe('A profile of ~/.aws/config (SSO profiles too)'),
  endpoint: z.url().optional().describe('EC2 endpoint override, e.g. a local test server'),
  pricingEndpoint: z
    .url()
    .optional()
    .describe('Price List API endpoint override (default api.pricing.us-east-1.amazonaws.com)'),
  credentials: AwsCredentialsSchema.optional(),
  prices: z
    .enum(['price-list', 'none'])
    .default('none')
    .describe('"price-list": on-demand prices from the AWS Price List API; "none": prices stay null'),
  maxAttempts: z.number().int().min(1).max(10).optional().describe('SDK attempts per call (retries + 1)'),
});
export type AwsConnection = z.infer<typeof AwsConnectionSchema>;
export type AwsConnectionInput = z.input<typeof AwsConnectionSchema>;
