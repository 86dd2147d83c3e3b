// reviewMci: validates a create request against the providers without side effects, prices it,
// lists risks and returns the step plan per region.
import {
  type CloudDriver,
  type Image,
  isDriverError,
  type ProviderId,
  parseResourceId,
  type Region,
  type Spec,
  usdPerHour,
} from '../drivers/spec/index.ts';
import type { Store } from '../store/types.ts';
import { type CreateMciRequest, CreateMciRequestSchema, type NodeGroupRequest } from './model.ts';
import type { SpecResolver } from './resolver.ts';

export const HOURS_PER_MONTH = 730;
export const MCI_NAMESPACE = 'mci';

/** Gives the driver of a provider (the runtime's `driver(provider)`). */
export type DriverSource = (provider: ProviderId) => Promise<CloudDriver>;

export interface ReviewDependencies {
  drivers: DriverSource;
  /** To refuse a name already taken. */
  store?: Store;
  /** Resolves node groups given as requirements. */
  resolver?: SpecResolver;
}

export interface GroupReview {
  name: string;
  size: number;
  spec?: Spec;
  image?: Image;
  region?: Region;
  /** Zones the group may use, in order of preference. */
  zones: string[];
  pricePerHour: number | null;
}

export interface RegionPlan {
  regionId: string;
  provider: ProviderId;
  /** Subnet zone codes ("*" for one regional subnet). */
  subnetZones: string[];
  nodes: number;
  vcpu: number;
  steps: string[];
}

export interface MciReview {
  ok: boolean;
  /** The parsed request (defaults applied), when it parsed. */
  request?: CreateMciRequest;
  /** Problems that stop creation, each saying what to do. */
  issues: string[];
  risks: string[];
  groups: GroupReview[];
  pricePerHour: number;
  pricePerMonth: number;
  currency: string;
  plan: RegionPlan[];
  stepsTotal: number;
}

function formatZodIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`));
    const where = path.join('').replace(/^\./, '');
    return where ? `${where}: ${issue.message}` : issue.message;
  });
}

/** Ubuntu 22.04 of the spec's arch in its region; GPU-ready first for GPU specs. */
export async function defaultImage(driver: CloudDriver, spec: Spec): Promise<Image | undefined> {
  const images = await driver.listImages({ region: spec.region, os: 'ubuntu', arch: spec.arch });
  const ranked = images
    .filter((image) => image.arch === spec.arch)
    .map((image) => ({
      image,
      score:
        (image.osVersion.startsWith('22.04') ? 4 : 0) +
        (spec.gpu ? (image.gpuReady ? 2 : 0) : image.gpuReady ? 0 : 1),
    }))
    .sort((a, b) => b.score - a.score || a.image.id.localeCompare(b.image.id));
  return ranked[0]?.image;
}

/** Whether the provider places subnets in one zone (AWS, Alibaba, Tencent) or across the region. */
export function zonalSubnets(driver: CloudDriver): boolean {
  return driver.capabilities.subnetScope === 'zone';
}

/** Zones where the spec is offered in its region, in the region's order. */
export function offeredZones(region: Region, spec: Spec): string[] {
  return region.zones.map((zone) => zone.code).filter((code) => spec.zones?.includes(code) ?? true);
}

async function reviewGroup(
  group: NodeGroupRequest,
  index: number,
  dependencies: ReviewDependencies,
  issues: string[],
  risks: string[],
): Promise<GroupReview> {
  const where = `nodeGroups[${index}] "${group.name}"`;
  const review: GroupReview = { name: group.name, size: group.size, zones: [], pricePerHour: null };
  let spec: Spec | undefined;
  if (group.specId !== undefined) {
    const parsed = parseResourceId(group.specId);
    if (!parsed) {
      issues.push(`${where}.specId: "${group.specId}" is not a spec id; use "provider+region+name"`);
      return review;
    }
    const driver = await dependencies.drivers(parsed.provider);
    try {
      spec = await driver.getSpec(group.specId);
    } catch (error) {
      if (isDriverError(error) && error.code === 'NOT_FOUND') {
        issues.push(
          `${where}.specId: spec "${group.specId}" does not exist in ${parsed.provider}+${parsed.region}; search specs in that region and pick one it offers`,
        );
        return review;
      }
      throw error;
    }
  } else if (group.requirements !== undefined) {
    if (!dependencies.resolver) {
      issues.push(`${where}: requirements need the catalog; give an explicit specId instead`);
      return review;
    }
    spec = (await dependencies.resolver.resolve(group.requirements))[0];
    if (!spec) {
      issues.push(`${where}.requirements: no spec meets them; relax vCPU, memory, GPU or the allowed places`);
      return review;
    }
  }
  if (!spec) return review;
  review.spec = spec;
  const driver = await dependencies.drivers(spec.provider);
  const region = (await driver.listRegions()).find((candidate) => candidate.code === spec.region);
  if (!region) {
    issues.push(`${where}: region ${spec.provider}+${spec.region} is unknown to the ${spec.provider} driver`);
    return review;
  }
  review.region = region;
  const zones = offeredZones(region, spec);
  if (group.zone !== undefined) {
    if (region.zones.length > 0 && !region.zones.some((zone) => zone.code === group.zone)) {
      issues.push(
        `${where}.zone: "${group.zone}" is not a zone of ${region.id}; zones: ${region.zones.map((zone) => zone.code).join(', ')}`,
      );
    } else if (!zones.includes(group.zone) && region.zones.length > 0) {
      issues.push(
        `${where}.zone: ${spec.name} is not offered in ${group.zone}; it is offered in ${zones.join(', ')}`,
      );
    }
    review.zones = [group.zone, ...zones.filter((zone) => zone !== group.zone)];
  } else {
    review.zones = zones;
  }
  if (group.imageId !== undefined) {
    let image: Image | undefined;
    try {
      image = await driver.getImage(group.imageId);
    } catch (error) {
      if (isDriverError(error) && error.code === 'NOT_FOUND') {
        issues.push(`${where}.imageId: image "${group.imageId}" does not exist; omit it to get Ubuntu 22.04`);
      } else throw error;
    }
    if (image) {
      if (image.region !== spec.region || image.provider !== spec.provider) {
        issues.push(
          `${where}.imageId: image ${image.id} is in ${image.provider}+${image.region}, the spec in ${spec.provider}+${spec.region}; use an image of the spec's region`,
        );
      } else if (image.arch !== spec.arch) {
        issues.push(
          `${where}.imageId: image ${image.id} is for ${image.arch} but ${spec.name} is ${spec.arch}; pick a ${spec.arch} image or omit imageId`,
        );
      } else {
        review.image = image;
        if (spec.gpu && !image.gpuReady)
          risks.push(`${where}: image ${image.name} has no GPU drivers; install them or omit imageId`);
      }
    }
  } else {
    const image = await defaultImage(driver, spec);
    if (!image) {
      issues.push(
        `${where}: no Ubuntu image for ${spec.arch} in ${region.id}; give an imageId (search images in that region)`,
      );
    } else {
      review.image = image;
      if (!image.osVersion.startsWith('22.04'))
        risks.push(`${where}: no Ubuntu 22.04 in ${region.id}; using ${image.name}`);
    }
  }
  // Prices are compared and summed in USD (NHN and KT price in KRW).
  const price = usdPerHour(spec);
  if (price === null)
    risks.push(`${where}: ${spec.name} has no known price in USD; the estimate leaves it out`);
  review.pricePerHour = price === null ? null : price * group.size;
  if (region.zones.length > 0 && zones.length <= 1)
    risks.push(
      `${where}: ${spec.name} is offered in ${zones.length} zone(s) of ${region.id}; little room to fail over`,
    );
  if (spec.gpu)
    risks.push(
      `${where}: GPU capacity (${spec.gpu.model}) is scarce; expect capacity errors and failover for ${group.size} node(s)`,
    );
  if (group.size > 100)
    risks.push(`${where}: ${group.size} nodes in one region; expect API throttling (the engine backs off)`);
  return review;
}

/** Validates, prices and plans a create request. No side effects: nothing is created. */
export async function reviewMci(request: unknown, dependencies: ReviewDependencies): Promise<MciReview> {
  const empty: MciReview = {
    ok: false,
    issues: [],
    risks: [],
    groups: [],
    pricePerHour: 0,
    pricePerMonth: 0,
    currency: 'USD',
    plan: [],
    stepsTotal: 0,
  };
  const parsed = CreateMciRequestSchema.safeParse(request);
  if (!parsed.success) return { ...empty, issues: formatZodIssues(parsed.error.issues) };
  const input = parsed.data;
  const issues: string[] = [];
  const risks: string[] = [];
  if (dependencies.store) {
    const existing = await dependencies.store.get(MCI_NAMESPACE, 'mci', input.name);
    if (existing)
      issues.push(
        `name: an MCI named "${input.name}" already exists; choose another name or delete it first`,
      );
  }
  // Groups are reviewed in parallel; their issues and risks keep the groups' order.
  const perGroup = await Promise.all(
    input.nodeGroups.map(async (group, index) => {
      const groupIssues: string[] = [];
      const groupRisks: string[] = [];
      const review = await reviewGroup(group, index, dependencies, groupIssues, groupRisks);
      return { review, groupIssues, groupRisks };
    }),
  );
  const groups = perGroup.map((entry) => entry.review);
  for (const entry of perGroup) {
    issues.push(...entry.groupIssues);
    risks.push(...entry.groupRisks);
  }

  const pricePerHour = groups.reduce((sum, group) => sum + (group.pricePerHour ?? 0), 0);
  if (input.maxCostPerHour !== undefined && pricePerHour > input.maxCostPerHour) {
    issues.push(
      `maxCostPerHour: the MCI costs $${pricePerHour.toFixed(4)}/h, over the cap of $${input.maxCostPerHour}/h; use fewer or smaller nodes, or raise the cap`,
    );
  }
  const plans = new Map<string, RegionPlan>();
  for (const group of groups) {
    if (!group.spec || !group.region) continue;
    const driver = await dependencies.drivers(group.spec.provider);
    let plan = plans.get(group.region.id);
    if (!plan) {
      plan = {
        regionId: group.region.id,
        provider: group.spec.provider,
        subnetZones: [],
        nodes: 0,
        vcpu: 0,
        steps: [],
      };
      plans.set(group.region.id, plan);
    }
    const subnetZone = zonalSubnets(driver) ? (group.zones[0] ?? '*') : '*';
    if (!plan.subnetZones.includes(subnetZone)) plan.subnetZones.push(subnetZone);
    plan.nodes += group.size;
    plan.vcpu += group.size * group.spec.vcpu;
  }
  let stepsTotal = 0;
  for (const plan of plans.values()) {
    plan.steps = [
      'vNet',
      ...plan.subnetZones.map((zone) => (zone === '*' ? 'subnet' : `subnet (${zone})`)),
      'security group (SSH 22)',
      'key pair',
      `${plan.nodes} VM(s)`,
    ];
    stepsTotal += 3 + plan.subnetZones.length + plan.nodes;
    if (plan.vcpu > 1024)
      risks.push(`${plan.regionId}: ${plan.vcpu} vCPUs may exceed the account's regional quota (often 1024)`);
  }
  return {
    ok: issues.length === 0,
    request: input,
    issues,
    risks,
    groups,
    pricePerHour,
    pricePerMonth: pricePerHour * HOURS_PER_MONTH,
    currency: groups.find((group) => group.spec)?.spec?.currency ?? 'USD',
    plan: [...plans.values()],
    stepsTotal,
  };
}
