// Safety between a model and money: one confirmation by the person (elicitation when the client can
// show it, else an explicit `confirm: true`), and budget caps per request and in total.
import { z } from 'zod';
import { parseResourceId, usdPerHour } from '../drivers/spec/index.ts';
import type { MciService } from '../mci/service.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { ToolError } from './errors.ts';
import type { ToolCall, ToolServices } from './tool.ts';

/** The input field every mutating tool has. */
export const confirmField = z
  .boolean()
  .optional()
  .describe(
    'Set true only after the person approved this exact action (show them the plan and price first). ' +
      'Without it nothing changes and the result is NEEDS_CONFIRMATION with the review. Ignored when the client asks the person itself.',
  );

export interface ConfirmationRequest {
  /** One or two sentences the person reads: what will happen, what it costs. */
  summary: string;
  /** Structured details returned with NEEDS_CONFIRMATION (e.g. the review). */
  details?: Record<string, unknown>;
  /** How to call again once approved. */
  next: string;
}

/**
 * Returns when the person approved; throws NEEDS_CONFIRMATION (nothing changed) or DECLINED.
 * With elicitation the person is asked directly and `confirm` is ignored, so a model cannot approve
 * on the person's behalf; without it, `confirm: true` is the approval.
 */
export async function requireConfirmation(
  call: ToolCall,
  confirm: boolean | undefined,
  request: ConfirmationRequest,
): Promise<void> {
  if (call.canElicit) {
    let answer: Awaited<ReturnType<ToolCall['server']['elicitInput']>>;
    try {
      answer = await call.server.elicitInput(
        {
          message: request.summary,
          requestedSchema: {
            type: 'object',
            properties: {
              approve: {
                type: 'boolean',
                title: 'Approve',
                description: 'Approve this action',
                default: false,
              },
            },
            required: ['approve'],
          },
        },
        { signal: call.signal },
      );
    } catch (error) {
      throw new ToolError(
        'CONFIRMATION_FAILED',
        `could not ask the person: ${error instanceof Error ? error.message : String(error)}`,
        'Nothing was changed. Ask the person in the conversation, then call again.',
      );
    }
    if (answer.action === 'accept' && answer.content?.approve === true) return;
    throw new ToolError(
      'DECLINED',
      `the person did not approve: ${request.summary}`,
      'Nothing was changed. Ask what to change (size, spec, region) instead of retrying the same call.',
      request.details ? { details: request.details } : {},
    );
  }
  if (confirm === true) return;
  throw new ToolError('NEEDS_CONFIRMATION', `not done yet: ${request.summary}`, request.next, {
    ...(request.details ? { details: request.details } : {}),
  });
}

/** Looks specs up through the drivers, once per spec id per call. */
export function specPrices(runtime: Runtime): (specId: string) => Promise<number> {
  const cache = new Map<string, Promise<number>>();
  return (specId) => {
    let price = cache.get(specId);
    if (!price) {
      const provider = parseResourceId(specId)?.provider;
      price = provider
        ? runtime
            .driver(provider)
            .then((driver) => driver.getSpec(specId))
            .then((spec) => usdPerHour(spec) ?? 0)
            .catch(() => 0)
        : Promise.resolve(0);
      cache.set(specId, price);
    }
    return price;
  };
}

/** USD per hour of one MCI's nodes that are not Terminated/Failed (suspended nodes count: they resume). */
export async function mciCostPerHour(
  mci: MciService,
  name: string,
  priceOf: (specId: string) => Promise<number>,
): Promise<number> {
  const view = await mci.engine.getMci(name).catch(() => undefined);
  if (!view) return 0;
  let total = 0;
  for (const node of view.nodes) {
    if (node.status === 'Terminated' || node.status === 'Failed') continue;
    total += await priceOf(node.specId);
  }
  return total;
}

/** USD per hour of every MCI that exists and is not being deleted. */
export async function runningCostPerHour(services: ToolServices): Promise<number> {
  const mci = await services.mci();
  const priceOf = specPrices(services.runtime);
  let total = 0;
  for (const summary of await mci.engine.listMcis()) {
    if (summary.state === 'deleting') continue;
    total += await mciCostPerHour(mci, summary.name, priceOf);
  }
  return total;
}

/**
 * Refuses a change adding `addedPerHour` when it passes the per-request cap or the running total.
 * `requestCap` is the caller's own lower cap (e.g. the request's maxCostPerHour).
 */
export async function enforceBudget(
  services: ToolServices,
  addedPerHour: number,
  options: { requestCap?: number } = {},
): Promise<{ runningPerHour: number }> {
  const { config } = services;
  const cap = Math.min(config.maxCostPerHour, options.requestCap ?? Number.POSITIVE_INFINITY);
  if (addedPerHour > cap + 1e-9) {
    throw new ToolError(
      'BUDGET_EXCEEDED',
      `this adds $${addedPerHour.toFixed(2)}/h, above the per-request cap of $${cap.toFixed(2)}/h`,
      'Use fewer or cheaper nodes (searchSpecs with sort "cost", maxPricePerHour), or ask the person to raise S2A_MAX_COST_PER_HOUR.',
      { details: { addedPerHour, capPerHour: cap } },
    );
  }
  const runningPerHour = await runningCostPerHour(services);
  if (runningPerHour + addedPerHour > config.maxRunningCostPerHour + 1e-9) {
    throw new ToolError(
      'BUDGET_EXCEEDED',
      `MCIs already cost $${runningPerHour.toFixed(2)}/h; adding $${addedPerHour.toFixed(2)}/h passes the total cap of $${config.maxRunningCostPerHour.toFixed(2)}/h`,
      'Delete or suspend MCIs that are not needed (listMCIs, deleteMCI), use cheaper nodes, or ask the person to raise S2A_MAX_RUNNING_COST_PER_HOUR.',
      { details: { addedPerHour, runningPerHour, capPerHour: config.maxRunningCostPerHour } },
    );
  }
  return { runningPerHour };
}
