/**
 * What the offline planner understood a sentence to mean: plain types, no zod (nothing here crosses a
 * process edge; the MCP tools validate what is finally sent). `understand()` (understand.ts) returns
 * an `Understanding`; another step maps intents onto MCP tool calls.
 */

import type { Region, ResolvedPlace } from '../../catalog/types.ts';
import type { ProviderId } from '../../drivers/spec/index.ts';

export type { ResolvedPlace } from '../../catalog/types.ts';
export type { ProviderId } from '../../drivers/spec/index.ts';

/** The language a sentence was written in: Korean when it has Hangul, else English. */
export type Language = 'en' | 'ko';

/** What to rank candidates by; the same keys as the catalog's `sort` (cost, performance, distance, latency). */
export type Preference = 'cost' | 'performance' | 'distance' | 'latency';

/** CPU architecture, as the catalog names it. */
export type Architecture = 'x86_64' | 'arm64';

/** A GPU requirement per node. */
export interface GpuRequirement {
  /** Catalog model key from `normalizeGpuModel` ("A100", "A100-80GB", "H100", "T4"); absent: any GPU. */
  model?: string;
  /** Several models named ("A100 vs H100", "L4 or T4"): any of them will do; `model` is the first. */
  models?: string[];
  /** At least this many GPUs per node (1 when a GPU is asked for without a number). */
  count: number;
  /** At least this much GPU memory per node, GiB, all GPUs together ("24GB VRAM"). */
  minMemoryGiB?: number;
}

/** What each node must have. Every field is optional: absent means "no constraint". */
export interface NodeRequirements {
  minVcpu?: number;
  maxVcpu?: number;
  minMemoryGiB?: number;
  maxMemoryGiB?: number;
  gpu?: GpuRequirement;
  /** The person said "no GPU" / "CPU only". */
  noGpu?: boolean;
  arch?: Architecture;
  /** A spec name written out ("t3.medium", "g5.xlarge"); searched as text. */
  specName?: string;
}

/** An operating system image asked for ("Ubuntu 22.04", "우분투"); absent: the default image. */
export interface OsRequest {
  /** Lower case: "ubuntu", "debian", "rocky", "centos", "almalinux", "amazon-linux", "rhel", "windows". */
  name: string;
  /** "22.04", "12", when written. */
  version?: string;
}

/** One place the person named, resolved by the catalog's place resolver. */
export interface PlaceRequest {
  /** The resolved place; `place.kind` says city, country, continent, area, region or coordinates. */
  place: ResolvedPlace;
  /** When several region codes matched one word ("ap-northeast-2" is AWS's and Alibaba's): all their ids. */
  regionIds?: string[];
  /** Nodes to put here; set when the distribution fixes it (`each`, `counts`, `spread`, one place). */
  count?: number;
}

/**
 * How nodes are spread over the places:
 * - `none`: no place named (the planner chooses, e.g. cheapest anywhere);
 * - `single`: one place, every node there;
 * - `each`: "one in each of Seoul, Tokyo and Frankfurt", "하나씩": the same count per place;
 * - `counts`: "3 in Seoul and 2 in Tokyo": a count per place;
 * - `spread`: "4 VMs in Seoul and Tokyo": nodes split over the places as evenly as possible, in order;
 * - `anyOf`: "in Seoul or Tokyo": any one of them (the planner picks by the preference).
 */
export type Distribution = 'none' | 'single' | 'each' | 'counts' | 'spread' | 'anyOf';

export interface Placement {
  places: PlaceRequest[];
  distribution: Distribution;
  /** The person said "near"/"근처": rank by distance inside the places' radius. */
  near: boolean;
}

/** Providers to use or avoid. Both empty: any provider. */
export interface ProviderFilter {
  /** "on AWS or GCP": only these. */
  only: ProviderId[];
  /** "not Azure", "AWS 말고": never these. */
  exclude: ProviderId[];
}

/** A spending cap, as said and in US dollars. */
export interface Budget {
  /** The amount as the person said it. */
  amount: number;
  currency: 'USD' | 'KRW';
  per: 'hour' | 'month';
  /** In USD per hour (KRW converted at `KRW_PER_USD`, months of `HOURS_PER_MONTH`). */
  usdPerHour: number;
  usdPerMonth: number;
}

/** An app from the recipe registry (mci/apps), with the parameters the person gave. */
export interface AppRequest {
  /** Recipe name: "ollama", "nginx", "k3s"... */
  name: string;
  /** Recipe parameters, only values matching the recipe's pattern ("model": "llama3"). */
  parameters: Record<string, string>;
}

/** Which existing MCI an action is about, and how it was found. */
export interface McisTarget {
  name: string;
  /**
   * - `named`: the text names it exactly;
   * - `context`: "it", "that one", "그거" → the last MCI mentioned;
   * - `description`: "the gpu cluster" → the one known MCI that fits;
   * - `fuzzy`: a near spelling of one known name ("dmeo" → "demo");
   * - `unverified`: a name the context does not list (no list was given), as written;
   * - `all`: "delete everything", "둘 다 전부": one of every MCI that exists.
   */
  via: 'named' | 'context' | 'description' | 'fuzzy' | 'unverified' | 'all';
}

interface Base {
  /** Assumptions made on the way, worth showing in the plan ("a couple" → 2, KRW → USD at 1,400). */
  notes: string[];
}

/** Find and compare specs and prices: searchSpecs / recommendSpecs. */
export interface SearchSpecsIntent extends Base {
  kind: 'searchSpecs';
  requirements: NodeRequirements;
  placement: Placement;
  providers: ProviderFilter;
  /** Rank by; "cost" unless the person said otherwise. */
  sort: Preference;
  spot: boolean;
  budget?: Budget;
  /** "top 5", "3 cheapest": how many to show. */
  limit?: number;
}

/** "How much would 4 A100s cost a month": recommendSpecs then estimateCost. */
export interface EstimateCostIntent extends Base {
  kind: 'estimateCost';
  nodeCount: number;
  requirements: NodeRequirements;
  placement: Placement;
  providers: ProviderFilter;
  spot: boolean;
  /** Which figure the person asked for; both are always computed. */
  period: 'hour' | 'month';
}

/** Create an MCI: recommendSpecs → reviewMCI → (confirm) → createMCI → installApp. */
export interface DeployIntent extends Base {
  kind: 'deploy';
  /** Total nodes (the sum of `placement.places[].count` when those are set). */
  nodeCount: number;
  requirements: NodeRequirements;
  placement: Placement;
  providers: ProviderFilter;
  apps: AppRequest[];
  preference: Preference;
  spot: boolean;
  budget?: Budget;
  /** MCI name, when the person gave a valid one ("call it demo"). */
  name?: string;
  /** Image operating system, when one was named. */
  os?: OsRequest;
  /** Set when this revises the pending plan ("make it 5"): the fields that changed. */
  revised?: (
    | 'nodeCount'
    | 'requirements'
    | 'placement'
    | 'providers'
    | 'apps'
    | 'preference'
    | 'spot'
    | 'budget'
    | 'name'
  )[];
}

export interface ListMcisIntent extends Base {
  kind: 'listMcis';
}

/** getMCI. */
export interface McisStatusIntent extends Base {
  kind: 'mciStatus';
  target: McisTarget;
}

/** scaleMCI: to a size, or by a difference. */
export interface ScaleIntent extends Base {
  kind: 'scale';
  target: McisTarget;
  /** A node group named in the text ("the workers", "group gpu"); absent: the MCI's only or every group. */
  nodeGroup?: string;
  /** A size, a difference, or a factor on the current size ("double it": 2, "halve it": 0.5). */
  change: { to: number } | { by: number } | { factor: number };
}

export type ControlAction = 'suspend' | 'resume' | 'reboot' | 'terminate';

/** controlMCI on the whole MCI, or one node of it. */
export interface ControlIntent extends Base {
  kind: 'control';
  action: ControlAction;
  target: McisTarget;
  /** "stop everything": every MCI, `target` among them; one plan and one approval for all of them. */
  targets?: McisTarget[];
  /** A node name ("web-2") or index ("node 2" → "2"), when one node was named. */
  node?: string;
}

/** deleteMCI (or one node: the mapper scales its group down). */
export interface DeleteIntent extends Base {
  kind: 'delete';
  target: McisTarget;
  /** "delete everything": every MCI, `target` among them; one plan and one approval for all of them. */
  targets?: McisTarget[];
  node?: string;
}

/** runCommand. The command is exactly what the person wrote; it is shown before it runs. */
export interface RunCommandIntent extends Base {
  kind: 'runCommand';
  target: McisTarget;
  command: string;
  /** The command came from quotes or backticks (else from the words after "run"). */
  quoted: boolean;
  node?: string;
}

/** installApp on an existing MCI. */
export interface InstallAppIntent extends Base {
  kind: 'installApp';
  target: McisTarget;
  apps: AppRequest[];
}

/** getOperation: how a running operation is doing. */
export interface OperationStatusIntent extends Base {
  kind: 'operationStatus';
  /** "op-…" when written; absent: the last operation in the conversation. */
  operationId?: string;
}

/** cancelOperation. */
export interface CancelOperationIntent extends Base {
  kind: 'cancelOperation';
  operationId?: string;
}

/** listApps. */
export interface ListAppsIntent extends Base {
  kind: 'listApps';
}

/** Help or a greeting: answer with what s2a can do. */
export interface HelpIntent extends Base {
  kind: 'help';
  greeting: boolean;
}

/** "yes", "go ahead", "응", "좋아": approve what is pending. */
export interface ConfirmIntent extends Base {
  kind: 'confirm';
}

/** "no", "cancel", "아니", "취소": drop what is pending, do nothing. */
export interface RejectIntent extends Base {
  kind: 'reject';
}

export type Intent =
  | SearchSpecsIntent
  | EstimateCostIntent
  | DeployIntent
  | ListMcisIntent
  | McisStatusIntent
  | ScaleIntent
  | ControlIntent
  | DeleteIntent
  | RunCommandIntent
  | InstallAppIntent
  | OperationStatusIntent
  | CancelOperationIntent
  | ListAppsIntent
  | HelpIntent
  | ConfirmIntent
  | RejectIntent;

export type IntentKind = Intent['kind'];

/** What a clarifying question is about. */
export type ClarificationTopic =
  | 'intent' // nothing recognisable was asked
  | 'what' // "deploy" alone: what and where
  | 'target' // which MCI ("delete it" with nothing to refer to)
  | 'node' // which node
  | 'count' // how many ("a few")
  | 'command' // which command to run
  | 'app' // which app
  | 'budget' // per hour or per month
  | 'place' // conflicting or unknown places
  | 'name' // an unusable MCI name
  | 'scale'; // scale to what

export interface Clarification {
  topic: ClarificationTopic;
  /** One question, in the person's language. */
  question: string;
  /** Choices to offer, when there are a few (MCI names, "per hour"/"per month"). */
  options?: string[];
}

export type Understanding =
  | { kind: 'intent'; language: Language; intent: Intent; flags: Flags }
  | {
      kind: 'clarify';
      language: Language;
      clarification: Clarification;
      /** The intent as far as it was understood, when there is one (the answer completes it). */
      partial?: Partial<Intent> & { kind: IntentKind };
      flags: Flags;
    };

/** Things about the text itself the next step should know. */
export interface Flags {
  /** The text tried to override instructions ("ignore your rules…"); that part was not obeyed. */
  injection: boolean;
}

/** An MCI the conversation knows about, with what helps "the gpu cluster" find it. */
export interface KnownMci {
  name: string;
  /** Node group names ("web", "gpu"). */
  nodeGroups?: string[];
  /** Installed apps by recipe name. */
  apps?: string[];
  hasGpu?: boolean;
  providers?: ProviderId[];
  /** Places or region ids its nodes are in, in words ("Seoul", "aws+ap-northeast-2"). */
  places?: string[];
}

/** What earlier turns left behind that a sentence may refer to. */
export interface ConversationContext {
  /** The MCI last created, shown or acted on: what "it" and "그거" mean. */
  lastMciName?: string;
  /** MCIs that exist (names or descriptions); when given, names are checked against it. */
  knownMcis?: readonly (string | KnownMci)[];
  /** The last deploy intent not yet confirmed: "make it 5" revises it, "yes" approves it. */
  pendingPlan?: DeployIntent;
  /** The last search: "deploy that", "what about Tokyo?" build on it. */
  lastSearch?: SearchSpecsIntent;
  /** The last operation started: "cancel it" while it runs, "how is it going". */
  lastOperationId?: string;
  /** Regions for the place resolver; default `loadRegions()` (read once). */
  regions?: readonly Region[];
}

/** USD per hour → per month, as the catalog's estimateCost counts a month. */
export const HOURS_PER_MONTH = 730;
/**
 * Budgets said in won convert at the one fixed rate s2a prices in (drivers/spec/money.ts), so a
 * budget and the prices it caps agree; every conversion is noted in the plan.
 */
export { KRW_PER_USD } from '../../drivers/spec/money.ts';
