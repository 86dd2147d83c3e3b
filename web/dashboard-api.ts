/**
 * The dashboard's API: MCIs with their nodes placed on the map, and actions on them. Everything goes
 * through the MCP tools (listMCIs, getMCI, controlMCI, deleteMCI) with the agent's client, so the
 * dashboard sees and does exactly what an MCP client could, behind the same confirmation.
 */
import { z } from 'zod';
import type { ToolCallOutcome } from '../agent/tool-client.ts';
import { isProviderId } from '../drivers/spec/index.ts';
import type { ApiHandler, WebContext } from './context.ts';
import {
  MCI_ACTIONS,
  type MciAction,
  type MciActionNeedsConfirmation,
  type MciActionReview,
  type MciActionStarted,
  type MciEndpointView,
  type MciListView,
  type MciNodeView,
  type MciSummaryView,
  type MciView,
  type ProviderCount,
} from './dashboard-types.ts';
import { regionPlace } from './regions.ts';
import { json, jsonError } from './responses.ts';

// The parts of the tools' structured output the dashboard reads. The MCP server already checked the
// full output schema; parsing again keeps a change there from reaching the browser half-understood.
const NodeSchema = z.object({
  name: z.string(),
  group: z.string(),
  provider: z.string(),
  regionId: z.string(),
  specId: z.string(),
  status: z.string(),
  publicIp: z.string().nullable(),
  pricePerHour: z.number().nullable(),
});

const GetMciOutputSchema = z.object({
  name: z.string(),
  status: z.string(),
  state: z.string(),
  createdAt: z.string(),
  description: z.string().nullable(),
  nodes: z.array(NodeSchema),
  apps: z.array(
    z.object({
      app: z.string(),
      ok: z.boolean(),
      installedAt: z.string(),
      failures: z.number(),
      nodes: z.array(z.object({ node: z.string(), endpoints: z.record(z.string(), z.string()) })),
    }),
  ),
  pricePerHour: z.number(),
  pricePerMonth: z.number(),
  recentOperations: z.array(
    z.object({
      operationId: z.string(),
      kind: z.string(),
      status: z.string(),
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
    }),
  ),
});
type GetMciOutput = z.infer<typeof GetMciOutputSchema>;

const ListMcisOutputSchema = z.object({
  mcis: z.array(z.object({ name: z.string() })),
  totalPricePerHour: z.number(),
});

const OperationStartedSchema = z.object({
  operation: z.object({ operationId: z.string(), status: z.string() }),
});

const ActionRequestSchema = z.object({
  action: z.enum(MCI_ACTIONS, { error: `action must be one of ${MCI_ACTIONS.join(', ')}` }),
  confirm: z.boolean().optional(),
});

/** Node statuses that will not change by themselves; anything else is on its way somewhere. */
const SETTLED_NODE_STATUSES = new Set(['Running', 'Suspended', 'Terminated', 'Failed']);
const FINAL_OPERATION_STATUSES = new Set(['succeeded', 'failed', 'cancelled', 'rolled-back']);

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Tool error codes → HTTP statuses; the body keeps the tool's code so the UI can tell them apart. */
const HTTP_STATUS: Record<string, number> = {
  MCI_NOT_FOUND: 404,
  NOT_FOUND: 404,
  INVALID_INPUT: 400,
  INVALID_REQUEST: 400,
  MCI_INVALID_REQUEST: 400,
  OPERATION_BUSY: 409,
  NEEDS_CONFIRMATION: 409,
  READ_ONLY: 403,
  BUDGET_EXCEEDED: 422,
  TRANSPORT: 502,
};

/** The tools' next steps speak to a model ("call listMCIs"); a person on the dashboard needs these. */
const WEB_NEXT: Record<string, string> = {
  MCI_NOT_FOUND: 'Open the dashboard to see the MCIs that exist.',
  OPERATION_BUSY: 'Wait until the running operation ends (the page refreshes by itself), then try again.',
  READ_ONLY: 's2a runs read-only (S2A_READ_ONLY=1): nothing can be changed from here.',
};

function toolErrorResponse(outcome: ToolCallOutcome): Response {
  const code = outcome.error?.code ?? 'INTERNAL';
  return jsonError(
    HTTP_STATUS[code] ?? 500,
    code,
    outcome.error?.message ?? outcome.text,
    WEB_NEXT[code] ?? outcome.error?.next ?? 'Retry; if it keeps failing, see the server log.',
  );
}

function nodeView(node: z.infer<typeof NodeSchema>): MciNodeView {
  const place = regionPlace(node.regionId);
  return {
    name: node.name,
    group: node.group,
    provider: node.provider,
    regionId: node.regionId,
    regionName: place?.displayName ?? node.regionId,
    latitude: place?.latitude ?? null,
    longitude: place?.longitude ?? null,
    specId: node.specId,
    status: node.status,
    publicIp: node.publicIp,
    pricePerHour: node.pricePerHour,
  };
}

function providerCounts(nodes: readonly MciNodeView[]): ProviderCount[] {
  const counts = new Map<string, number>();
  for (const node of nodes) counts.set(node.provider, (counts.get(node.provider) ?? 0) + 1);
  return [...counts].map(([provider, count]) => ({ provider, nodes: count }));
}

function summaryView(output: GetMciOutput): MciSummaryView {
  const nodes = output.nodes.map(nodeView);
  const transitional =
    output.state === 'creating' ||
    output.state === 'deleting' ||
    nodes.some((node) => !SETTLED_NODE_STATUSES.has(node.status)) ||
    output.recentOperations.some((operation) => !FINAL_OPERATION_STATUSES.has(operation.status));
  return {
    name: output.name,
    status: output.status,
    state: output.state,
    transitional,
    pricePerHour: output.pricePerHour,
    createdAt: output.createdAt,
    nodesTotal: nodes.length,
    providers: providerCounts(nodes),
    nodes,
  };
}

function mciView(output: GetMciOutput): MciView {
  const endpoints: MciEndpointView[] = output.apps.flatMap((app) =>
    app.nodes.flatMap((node) =>
      Object.entries(node.endpoints).map(([output, url]) => ({
        name: `${app.app} ${output} (${node.node})`,
        url,
        app: app.app,
        node: node.node,
      })),
    ),
  );
  return {
    ...summaryView(output),
    pricePerMonth: output.pricePerMonth,
    description: output.description,
    apps: output.apps.map((app) => ({
      app: app.app,
      ok: app.ok,
      installedAt: app.installedAt,
      failures: app.failures,
    })),
    endpoints,
    recentOperations: output.recentOperations,
  };
}

/** getMCI through the tools: the parsed output, or the error response to send. */
async function fetchMci(context: WebContext, name: string): Promise<GetMciOutput | Response> {
  const outcome = await context.tools.callTool('getMCI', { name });
  if (outcome.isError) {
    // A name the schema refuses cannot exist: for a resource path that is a 404, not a bad request.
    if (outcome.error?.code === 'INVALID_INPUT')
      return jsonError(404, 'MCI_NOT_FOUND', `no MCI named "${name}"`, WEB_NEXT.MCI_NOT_FOUND ?? '');
    return toolErrorResponse(outcome);
  }
  return GetMciOutputSchema.parse(outcome.structured);
}

export const handleListMcis: ApiHandler = async (_request, context) => {
  const listed = await context.tools.callTool('listMCIs', {});
  if (listed.isError) return toolErrorResponse(listed);
  const { mcis } = ListMcisOutputSchema.parse(listed.structured);
  // listMCIs has no per-node detail: one getMCI each, in parallel. One deleted meanwhile is left out.
  const details = await Promise.all(mcis.map((mci) => context.tools.callTool('getMCI', { name: mci.name })));
  const summaries = details.flatMap((outcome) =>
    outcome.isError ? [] : [summaryView(GetMciOutputSchema.parse(outcome.structured))],
  );
  const view: MciListView = {
    mcis: summaries,
    totalPricePerHour: round(summaries.reduce((sum, mci) => sum + mci.pricePerHour, 0)),
  };
  return json(view);
};

export const handleGetMci: ApiHandler = async (_request, context, params) => {
  const fetched = await fetchMci(context, params.name ?? '');
  if (fetched instanceof Response) return fetched;
  return json(mciView(fetched));
};

/**
 * How the hourly cost moves. Suspended VMs cost what their provider bills while stopped: nothing or
 * disk only (compute saved), or everything (nothing saved); the driver's capabilities say which.
 */
async function costImpact(
  context: WebContext,
  mci: GetMciOutput,
  action: MciAction,
  nodeNames: readonly string[],
  savedPerHour: number | undefined,
): Promise<{ change: number | null; note: string }> {
  if (action === 'delete') {
    const saved = savedPerHour ?? mci.pricePerHour;
    return { change: -round(saved), note: `Stops $${saved.toFixed(4)}/h: nothing of it is billed any more.` };
  }
  if (action === 'reboot')
    return { change: 0, note: 'No change in cost; a short outage while nodes restart.' };
  const from = action === 'suspend' ? 'Running' : 'Suspended';
  const targets = mci.nodes.filter((node) => nodeNames.includes(node.name) && node.status === from);
  let compute = 0;
  let diskStillBilled = false;
  for (const node of targets) {
    if (!isProviderId(node.provider)) continue;
    const billed = (await context.runtime.driver(node.provider)).capabilities.suspend.billedWhileSuspended;
    if (billed === 'everything') continue;
    if (billed === 'disk') diskStillBilled = true;
    compute += node.pricePerHour ?? 0;
  }
  const change = round(action === 'suspend' ? -compute : compute);
  const disk = diskStillBilled ? ' Disks stay billed while suspended.' : '';
  return {
    change,
    note:
      action === 'suspend'
        ? `Saves about $${compute.toFixed(4)}/h of compute while suspended.${disk}`
        : `Adds about $${compute.toFixed(4)}/h of compute again.${disk}`,
  };
}

async function runAction(
  context: WebContext,
  name: string,
  action: MciAction,
  confirm: boolean,
): Promise<ToolCallOutcome> {
  const approval = confirm ? { confirm: true, wait: false } : {};
  return action === 'delete'
    ? context.tools.callTool('deleteMCI', { name, ...approval })
    : context.tools.callTool('controlMCI', { name, action, ...approval });
}

export const handleMciAction: ApiHandler = async (request, context, params) => {
  const name = params.name ?? '';
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return jsonError(
      400,
      'INVALID_JSON',
      'the body is not JSON',
      'Send {"action": "suspend"|"resume"|"reboot"|"delete", "confirm"?: true}.',
    );
  }
  const parsed = ActionRequestSchema.safeParse(body);
  if (!parsed.success)
    return jsonError(
      400,
      'INVALID_INPUT',
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '),
      'Send {"action": "suspend"|"resume"|"reboot"|"delete", "confirm"?: true}.',
    );
  const { action, confirm } = parsed.data;

  if (confirm === true) {
    const outcome = await runAction(context, name, action, true);
    if (outcome.isError) return toolErrorResponse(outcome);
    const structured = outcome.structured ?? {};
    const { operation } = OperationStartedSchema.parse(structured);
    const nodes = z.array(z.string()).safeParse(structured.nodes);
    const deleted = z.object({ nodes: z.array(z.string()) }).safeParse(structured.deleted);
    const started: MciActionStarted = {
      mciName: name,
      action,
      operationId: operation.operationId,
      status: operation.status,
      nodes: nodes.success ? nodes.data : deleted.success ? deleted.data.nodes : [],
    };
    return json(started, 202);
  }

  // No approval yet: the tool answers NEEDS_CONFIRMATION with what it would do, and changes nothing.
  const mci = await fetchMci(context, name);
  if (mci instanceof Response) return mci;
  const outcome = await runAction(context, name, action, false);
  if (!outcome.isError || outcome.error?.code !== 'NEEDS_CONFIRMATION') {
    // An in-process client cannot elicit, so success here would mean the tool skipped its guard.
    return outcome.isError
      ? toolErrorResponse(outcome)
      : jsonError(500, 'INTERNAL', `${action} ran without a confirmation`, 'Report it.');
  }
  const details = outcome.details ?? {};
  const controlled = z.array(z.string()).safeParse(details.nodes);
  const deleted = z.object({ nodes: z.array(z.string()) }).safeParse(details.deleted);
  const savedPerHour = z.number().safeParse(details.savedPerHour);
  const nodeNames = controlled.success
    ? controlled.data
    : deleted.success
      ? deleted.data.nodes
      : mci.nodes.map((node) => node.name);
  const impact = await costImpact(
    context,
    mci,
    action,
    nodeNames,
    savedPerHour.success ? savedPerHour.data : undefined,
  );
  const review: MciActionReview = {
    mciName: name,
    action,
    summary: (outcome.error.message ?? '').replace(/^not done yet: /, ''),
    nodes: nodeNames,
    pricePerHour: mci.pricePerHour,
    pricePerHourChange: impact.change,
    costNote: impact.note,
    destructive: action === 'delete' || action === 'reboot',
  };
  // 200, not an error status: asking first is the normal path, and browsers log every 4xx as an error.
  const answer: MciActionNeedsConfirmation = {
    needsConfirmation: true,
    message: outcome.error.message,
    next: 'Show the review to the person; send the same action with "confirm": true only after they approve.',
    review,
  };
  return json(answer, 200);
};
