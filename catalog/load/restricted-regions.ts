import type { ProviderId } from '../../drivers/spec/index.ts';

/**
 * Regions that exist, where the provider sells VMs at published prices, but where an ordinary account
 * cannot create one until the provider grants access. cloudinfo.yaml comments them out ("special
 * regions not supporting VM provisioning are disabled"), so the sim does not emulate them; the
 * catalog lists them, with their specs, marked `restricted` with the reason, so a search can show
 * them and say what it takes to use them, and default searches can leave them out.
 *
 * Only regions whose access rule is documented by the provider are here. Left out on purpose, though
 * the shipped data has rows for them:
 * - AWS us-gov-east-1 / us-gov-west-1: GovCloud is a separate partition with separate, vetted
 *   accounts (US persons), not an option of an ordinary account.
 * - AWS me-south-1 (Bahrain): cloudinfo.yaml disables it without saying why, while it enables other
 *   opt-in regions (me-central-1, af-south-1…); without a reason we can check, it stays out.
 * - GCP us-central2: a TPU-only region that Google does not offer for general Compute Engine use.
 * - Alibaba ap-south-1 (Mumbai) and ap-southeast-2 (Sydney): Alibaba Cloud closed them.
 */
const azureDisasterRecoveryPair = (pair: string): string =>
  `Azure restricted-access region (in-country disaster-recovery pair of ${pair}): VMs run here at ` +
  'published prices, but a subscription must first request access from Microsoft (support request ' +
  '"Region access"). Not emulated by the sim.';

const AZURE_JIO =
  'Azure region operated with Reliance Jio, restricted access: VMs run here at published prices, but ' +
  'only for subscriptions Microsoft enables on request. Not emulated by the sim.';

export const RESTRICTED_REGIONS: Partial<Record<ProviderId, Readonly<Record<string, string>>>> = {
  azure: {
    australiacentral2: azureDisasterRecoveryPair('australiacentral'),
    brazilsoutheast: azureDisasterRecoveryPair('brazilsouth'),
    francesouth: azureDisasterRecoveryPair('francecentral'),
    germanynorth: azureDisasterRecoveryPair('germanywestcentral'),
    norwaywest: azureDisasterRecoveryPair('norwayeast'),
    southafricawest: azureDisasterRecoveryPair('southafricanorth'),
    switzerlandwest: azureDisasterRecoveryPair('switzerlandnorth'),
    uaecentral: azureDisasterRecoveryPair('uaenorth'),
    jioindiawest: AZURE_JIO,
    jioindiacentral: AZURE_JIO,
  },
};

/** The restriction of a region, or undefined for a region open to every account. */
export function restrictionOf(provider: ProviderId, code: string): string | undefined {
  const table = RESTRICTED_REGIONS[provider];
  return table && Object.hasOwn(table, code) ? table[code] : undefined;
}
