/**
 * The plan the person approves, built from what the server itself says about the exact calls
 * waiting: a mutating tool called without confirm changes nothing and answers NEEDS_CONFIRMATION
 * with its review (createMCI: groups, $/h, risks; deleteMCI: what goes; scaleMCI: the $/h added).
 * A reviewMCI the model ran earlier is the fallback, then the tool name and input alone.
 */
import type { ModelMessage } from 'ai';
import type { ToolCallOutcome } from '../tool-client.ts';
import type { PendingAction, PlanNodeGroup, PlanView } from '../types.ts';

export const HOURS_PER_MONTH = 730;

/** A tool call the AI SDK holds until the person answers. */
export interface ApprovalCall {
  approvalId: string;
  toolCallId: string;
  toolName: string;
  /** As the model wrote it. */
  input: Record<string, unknown>;
  /** As approving sends it (confirm: true, wait). */
  action: PendingAction;
  destructiveHint: boolean;
  /** The server's answer to the call without confirm, when the tool has a confirm field. */
  preview?: ToolCallOutcome;
}

/** The review fields the plan reads (reviewMCI's output, createMCI's NEEDS_CONFIRMATION details). */
interface ReviewLike {
  ok?: boolean;
  issues?: string[];
  risks?: string[];
  pricePerHour?: number;
  pricePerMonth?: number;
  groups?: {
    name?: string;
    size?: number;
    specId?: string | null;
    regionId?: string | null;
    regionName?: string | null;
    vcpu?: number | null;
    memoryGiB?: number | null;
    gpu?: string | null;
    pricePerHour?: number | null;
  }[];
  regions?: { regionId?: string; nodes?: number; steps?: string[] }[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function asReview(value: unknown): ReviewLike | undefined {
  return isRecord(value) && Array.isArray(value.groups) && typeof value.pricePerHour === 'number'
    ? (value as ReviewLike)
    : undefined;
}

function number(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The latest reviewMCI result in the history for an MCI of this name. */
export function findReview(messages: readonly ModelMessage[], mciName: unknown): ReviewLike | undefined {
  const inputs = new Map<string, unknown>();
  let found: ReviewLike | undefined;
  for (const message of messages) {
    if (message.role === 'assistant' && typeof message.content !== 'string') {
      for (const part of message.content) {
        if (part.type === 'tool-call' && part.toolName === 'reviewMCI')
          inputs.set(part.toolCallId, part.input);
      }
    }
    if (message.role !== 'tool') continue;
    for (const part of message.content) {
      if (part.type !== 'tool-result' || part.toolName !== 'reviewMCI' || part.output.type !== 'json')
        continue;
      const input = inputs.get(part.toolCallId);
      const review = asReview(part.output.value);
      if (review && isRecord(input) && input.name === mciName) found = review;
    }
  }
  return found;
}

function shape(group: NonNullable<ReviewLike['groups']>[number]): string {
  const parts: string[] = [];
  if (group.vcpu != null) parts.push(`${group.vcpu} vCPU`);
  if (group.memoryGiB != null) parts.push(`${group.memoryGiB} GiB`);
  if (group.gpu) parts.push(group.gpu);
  return parts.join(', ') || 'unknown shape';
}

function groupsOf(review: ReviewLike): PlanNodeGroup[] {
  return (review.groups ?? []).map((group) => {
    const regionId = group.regionId ?? '';
    return {
      group: group.name ?? '?',
      provider: regionId.split('+')[0] ?? '',
      regionId,
      regionName: group.regionName ?? regionId,
      specId: group.specId ?? '?',
      shape: shape(group),
      count: group.size ?? 0,
      pricePerHour: group.pricePerHour ?? null,
    };
  });
}

function pieceFromReview(call: ApprovalCall, review: ReviewLike): PlanView {
  const groups = groupsOf(review);
  const nodes = groups.reduce((sum, group) => sum + group.count, 0);
  const places = [...new Set(groups.map((group) => group.regionName).filter((name) => name.length > 0))];
  const pricePerHour = number(review.pricePerHour) ?? 0;
  const steps = [
    ...(review.regions ?? []).map(
      (region) =>
        `${region.regionId ?? '?'}: ${region.nodes ?? '?'} node(s); ${(region.steps ?? []).join(', ') || 'create'}`,
    ),
    `Wait until every node is Running${call.toolName === 'createMCI' ? '' : ` (${call.toolName})`}`,
  ];
  return {
    title: `Create MCI ${String(call.input.name ?? '')}: ${nodes} node${nodes === 1 ? '' : 's'} in ${places.join(', ') || 'the chosen regions'}`,
    steps,
    groups,
    pricePerHour,
    pricePerMonth: number(review.pricePerMonth) ?? pricePerHour * HOURS_PER_MONTH,
    risks: [...(review.risks ?? []), ...(review.issues ?? []).map((issue) => `problem: ${issue}`)],
    notes: [],
    destructive: false,
  };
}

/** The server's one-line description of the call, from its NEEDS_CONFIRMATION message. */
function previewSummary(call: ApprovalCall): string | undefined {
  const message = call.preview?.error?.code === 'NEEDS_CONFIRMATION' ? call.preview.error.message : undefined;
  return message?.replace(/^not done yet:\s*/u, '');
}

const INTERRUPTING_ACTIONS = new Set(['suspend', 'reboot', 'terminate']);

function genericPiece(call: ApprovalCall): PlanView {
  // NEEDS_CONFIRMATION carries the tool's own details beside the error (deleted, addedPerHour, ports…).
  const info: Record<string, unknown> = call.preview?.isError ? (call.preview.details ?? {}) : {};
  const name = typeof call.input.name === 'string' ? call.input.name : undefined;
  const described = previewSummary(call);
  const added = number(info.addedPerHour) ?? 0;
  const saved = number(info.savedPerHour);
  const notes: string[] = [];
  if (saved !== undefined && saved > 0) notes.push(`Saves $${saved.toFixed(2)}/h`);
  if (number(info.before) !== undefined && number(info.after) !== undefined) {
    notes.push(
      `The MCI costs $${number(info.before)?.toFixed(2)}/h before and $${number(info.after)?.toFixed(2)}/h after`,
    );
  }
  const risks: string[] = [];
  let destructive = call.destructiveHint;
  let title: string;
  switch (call.toolName) {
    case 'deleteMCI':
      title = `Delete MCI ${name ?? '?'}`;
      destructive = true;
      risks.push('Deletes every VM of the MCI and its data; this cannot be undone.');
      break;
    case 'controlMCI': {
      const action = String(call.input.action ?? 'control');
      title = `${action[0]?.toUpperCase() ?? ''}${action.slice(1)} MCI ${name ?? '?'}${call.input.node ? ` node ${String(call.input.node)}` : ''}`;
      destructive = INTERRUPTING_ACTIONS.has(action);
      if (action === 'terminate') risks.push('Terminated VMs and their data are gone for good.');
      break;
    }
    case 'scaleMCI':
      title = `Scale MCI ${name ?? '?'}`;
      destructive = Array.isArray(info.removedNodes) && info.removedNodes.length > 0;
      if (destructive) risks.push('Removed nodes are deleted with their data.');
      break;
    case 'installApp':
      title = `Install ${String(call.input.app ?? 'an app')} on MCI ${name ?? '?'}`;
      if (Array.isArray(info.ports) && info.ports.length > 0) {
        risks.push(`Opens ports to the internet: ${info.ports.join(', ')}`);
      }
      break;
    case 'runCommand':
      title = `Run a command on MCI ${name ?? '?'}`;
      break;
    default:
      title = `${call.toolName}${name ? ` ${name}` : ''}`;
  }
  if (!call.preview)
    notes.push('s2a could not check this call before asking; the tool checks it again when it runs.');
  return {
    title,
    steps: [described ?? `${call.toolName} ${JSON.stringify(call.input)}`],
    groups: [],
    pricePerHour: added,
    pricePerMonth: added * HOURS_PER_MONTH,
    risks,
    notes,
    destructive,
  };
}

/** The plan of one waiting call. */
export function planPiece(call: ApprovalCall, history: readonly ModelMessage[]): PlanView {
  if (call.toolName === 'createMCI') {
    const fromPreview = asReview(call.preview?.details?.review);
    const review = fromPreview ?? findReview(history, call.input.name);
    if (review) {
      const piece = pieceFromReview(call, review);
      if (!fromPreview)
        piece.notes.push('Prices are from the review shown earlier; createMCI checks them again.');
      return piece;
    }
    const piece = genericPiece(call);
    piece.title = `Create MCI ${String(call.input.name ?? '?')}`;
    piece.risks.push('The price could not be checked before asking.');
    return piece;
  }
  return genericPiece(call);
}

/** One plan for everything waiting: one approval covers it all. */
export function buildPlan(calls: readonly ApprovalCall[], history: readonly ModelMessage[]): PlanView {
  const pieces = calls.map((call) => planPiece(call, history));
  const [only] = pieces;
  if (pieces.length === 1 && only) return only;
  return {
    title: pieces.map((piece) => piece.title).join('; '),
    steps: pieces.flatMap((piece) => piece.steps),
    groups: pieces.flatMap((piece) => piece.groups),
    pricePerHour: pieces.reduce((sum, piece) => sum + piece.pricePerHour, 0),
    pricePerMonth: pieces.reduce((sum, piece) => sum + piece.pricePerMonth, 0),
    risks: pieces.flatMap((piece) => piece.risks),
    notes: pieces.flatMap((piece) => piece.notes),
    destructive: pieces.some((piece) => piece.destructive),
  };
}
