/**
 * What the dashboard and catalog API answer, shared by the server (web/dashboard-api.ts and
 * web/catalog-api.ts write it) and the browser (app/ imports it type-only). Plain data, no imports:
 * the browser's program must not pull server code in.
 */

/** One VM of an MCI, placed at its region's coordinates. */
export interface MciNodeView {
  name: string;
  group: string;
  provider: string;
  /** "provider+region" */
  regionId: string;
  /** Human name of the region, e.g. "Korea (Seoul)"; the region id when the catalog does not know it. */
  regionName: string;
  /** Null when the region has no known coordinates (the map leaves the node out). */
  latitude: number | null;
  longitude: number | null;
  specId: string;
  /** VM status: Creating, Running, Suspending, Suspended, Resuming, Rebooting, Terminating, Terminated, Failed, Pending… */
  status: string;
  publicIp: string | null;
  /** USD per hour of this node, when the spec is known. */
  pricePerHour: number | null;
}

export interface ProviderCount {
  provider: string;
  nodes: number;
}

export interface MciEndpointView {
  /** "<app> <output> (<node>)", e.g. "ollama api (gpu-1)" */
  name: string;
  /** A URL, or a plain value (host:port) when the app reports one; links only when it is http(s). */
  url: string;
  app: string;
  node: string;
}

export interface MciAppView {
  app: string;
  ok: boolean;
  installedAt: string;
  failures: number;
}

export interface MciOperationView {
  operationId: string;
  kind: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
}

/** One MCI in the dashboard's list: everything but apps, endpoints and operations. */
export interface MciSummaryView {
  name: string;
  /** Aggregated status, e.g. "Running:3 (R:3/3)" */
  status: string;
  /** creating, active, deleting or failed */
  state: string;
  /** True while something is still changing (a node or the MCI itself): the UI polls then. */
  transitional: boolean;
  pricePerHour: number;
  createdAt: string;
  nodesTotal: number;
  providers: ProviderCount[];
  nodes: MciNodeView[];
}

/** GET /api/mcis/:name */
export interface MciView extends MciSummaryView {
  pricePerMonth: number;
  description: string | null;
  apps: MciAppView[];
  endpoints: MciEndpointView[];
  recentOperations: MciOperationView[];
}

/** GET /api/mcis */
export interface MciListView {
  mcis: MciSummaryView[];
  totalPricePerHour: number;
}

export const MCI_ACTIONS = ['suspend', 'resume', 'reboot', 'delete'] as const;
export type MciAction = (typeof MCI_ACTIONS)[number];

/** POST /api/mcis/:name/actions */
export interface MciActionRequest {
  action: MciAction;
  /** True only after the person approved the review this route answered first. */
  confirm?: boolean;
}

/** The answer to an action without confirm: what will happen, for a confirmation card. */
export interface MciActionReview {
  mciName: string;
  action: MciAction;
  /** One or two sentences from the tool: what happens to which nodes. */
  summary: string;
  /** Node names the action applies to. */
  nodes: string[];
  /** USD per hour of the MCI now. */
  pricePerHour: number;
  /**
   * How the hourly cost changes, USD (negative = saves), when it can be told: delete saves the whole
   * price; suspend saves the compute of providers that bill nothing or disk only while suspended.
   */
  pricePerHourChange: number | null;
  /** The cost impact in words (English; the UI has its own words when pricePerHourChange is set). */
  costNote: string;
  destructive: boolean;
}

/** 200 to an action without confirm: nothing happened yet; show the review, then confirm. */
export interface MciActionNeedsConfirmation {
  needsConfirmation: true;
  message: string;
  next: string;
  review: MciActionReview;
}

/** The 202 answer once approved: the operation runs in the background. */
export interface MciActionStarted {
  mciName: string;
  action: MciAction;
  operationId: string;
  status: string;
  nodes: string[];
}

export interface ApiErrorBody {
  error: { code: string; message: string; next: string };
}

/** One row of GET /api/catalog/specs. */
export interface CatalogSpecView {
  specId: string;
  provider: string;
  regionId: string;
  regionName: string;
  countryCode: string | null;
  latitude: number | null;
  longitude: number | null;
  name: string;
  vcpu: number;
  memoryGiB: number;
  arch: string;
  gpu: { model: string; count: number; memoryGiB: number | null } | null;
  pricePerHour: number | null;
  pricePerMonth: number | null;
  /** Distance from the "near" place, km; null without near. */
  distanceKm: number | null;
}

/** GET /api/catalog/specs */
export interface CatalogSpecsView {
  results: CatalogSpecView[];
  count: number;
}
