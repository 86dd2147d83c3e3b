/**
 * What a scenario is scored on: the end state of the sim and the MCI engine, and the events the
 * agent emitted. Plain data, so the checkers can be tested on constructed states.
 */
import type { AgentEvent } from '../agent/types.ts';
import type { ResolvedPlace } from '../catalog/types.ts';

export interface SpecFacts {
  id: string;
  vcpu: number;
  memoryGiB: number;
  arch: string;
  gpu: { model: string; count: number } | null;
  pricePerHour: number | null;
}

export interface RegionFacts {
  id: string;
  latitude: number;
  longitude: number;
  countryCode?: string;
}

export interface EndNode {
  mciName: string;
  name: string;
  provider: string;
  regionId: string;
  status: string;
  specId: string;
  /** Undefined when the world has no such spec (a planner inventing ids). */
  spec: SpecFacts | undefined;
  region: RegionFacts | undefined;
}

export interface EndMci {
  name: string;
  /** The engine's record state: creating, active, deleting, failed. */
  state: string;
  nodes: EndNode[];
}

export interface EndApp {
  mciName: string;
  app: string;
  /** Every node the install targeted, and whether it is healthy now. */
  nodes: { nodeId: string; healthy: boolean }[];
}

export interface EndState {
  mcis: EndMci[];
  apps: EndApp[];
  /** s2a-tagged resources no MCI claims: "provider kind id". */
  orphans: string[];
  /** Every resource in the sim with what may change about it, sorted: compared for no_mutation. */
  resources: string[];
}

/** One message the runner sent and what the agent answered to it. */
export interface Exchange {
  /** The scenario turn it belongs to (0-based). */
  turn: number;
  message: 'text' | 'approve' | 'reject';
  events: AgentEvent[];
  milliseconds: number;
}

export interface CheckContext {
  /** The sim's resources right after setup. */
  baselineResources: string[];
  exchanges: Exchange[];
  /** Names of the tools that change the world (readOnlyHint false). */
  mutatingTools: ReadonlySet<string>;
  /** Specs offered in a region ("provider+region"), for cheapest_within. */
  specsInRegion(regionId: string): readonly SpecFacts[];
  /** The catalog's reading of a place name, or undefined. */
  resolvePlace(name: string): ResolvedPlace | undefined;
}

/** Nodes that still exist: not Terminated, not Failed. */
export function liveNodes(state: EndState): EndNode[] {
  return state.mcis.flatMap((mci) => mci.nodes).filter((node) => !isGone(node.status));
}

export function isGone(status: string): boolean {
  return status === 'Terminated' || status === 'Failed';
}

/** MCIs that exist at the end: every record except a failed create that left no node. */
export function existingMcis(state: EndState): EndMci[] {
  return state.mcis.filter((mci) => mci.state !== 'failed' || mci.nodes.some((node) => !isGone(node.status)));
}
