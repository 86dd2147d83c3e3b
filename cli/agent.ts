// `s2a ask "…"` (one request; interactive approval, --yes within the budget, --json for machines)
// and `s2a chat` (a REPL). Both speak to the same Agent the web chat uses.
import { createInterface, type Interface } from 'node:readline/promises';
import type { Agent } from '../agent/agent.ts';
import { openAgent, type PlannerChoice } from '../agent/open-agent.ts';
import type { AgentEvent, PlanView, UserMessage } from '../agent/types.ts';
import { mcpConfigFromEnvironment } from '../mcp-server/config.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { formatTable, money } from './format.ts';
import { type CliOptions, UsageError } from './usage.ts';

const CLI_STATE_KIND = 'cli-state';
const LAST_CONVERSATION = 'last-conversation';

export function formatPlan(plan: PlanView): string {
  const lines = [`Plan: ${plan.title}`];
  if (plan.groups.length > 0) {
    lines.push(
      formatTable([
        ['group', 'nodes', 'where', 'spec', 'shape', '$/h'],
        ...plan.groups.map((group) => [
          group.group,
          String(group.count),
          group.regionName || group.regionId,
          group.specId,
          group.shape,
          money(group.pricePerHour, 4),
        ]),
      ]),
    );
  }
  for (const [index, step] of plan.steps.entries()) lines.push(`  ${index + 1}. ${step}`);
  if (plan.pricePerHour > 0)
    lines.push(`Cost: ${money(plan.pricePerHour, 2)}/h, about ${money(plan.pricePerMonth, 0)}/month`);
  for (const risk of plan.risks) lines.push(`Risk: ${risk}`);
  for (const note of plan.notes) lines.push(`Note: ${note}`);
  return lines.join('\n');
}

function compact(value: unknown, limit = 140): string {
  const text = JSON.stringify(value) ?? '';
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

/** Prints one event for a person; progress lines overwrite each other on a terminal. */
class EventPrinter {
  private progressShown = false;
  private lastProgress = '';

  constructor(private readonly tty: boolean) {}

  private endProgress(): void {
    if (this.progressShown && this.tty) process.stdout.write('\n');
    this.progressShown = false;
  }

  print(event: AgentEvent): void {
    if (event.type === 'progress') {
      if (event.message === this.lastProgress) return;
      this.lastProgress = event.message;
      if (this.tty) {
        process.stdout.write(`\r\x1b[2K  … ${event.message.slice(0, (process.stdout.columns ?? 100) - 6)}`);
        this.progressShown = true;
      } else {
        console.log(`  … ${event.message}`);
      }
      return;
    }
    this.endProgress();
    switch (event.type) {
      case 'text':
        console.log(event.text);
        break;
      case 'tool-call':
        console.log(`→ ${event.toolName} ${compact(event.input)}`);
        break;
      case 'tool-result':
        console.log(`  ${event.isError ? '✗' : '✓'} ${event.summary}`);
        break;
      case 'plan':
        console.log(formatPlan(event.plan));
        break;
      case 'approval-request':
        break;
      case 'question':
        console.log(`? ${event.text}${event.options?.length ? ` (${event.options.join(' / ')})` : ''}`);
        break;
      case 'summary':
        console.log(event.text);
        for (const endpoint of event.endpoints)
          if (!event.text.includes(endpoint.url)) console.log(`  ${endpoint.name}: ${endpoint.url}`);
        break;
      case 'error':
        console.error(`Error ${event.code}: ${event.message}${event.next ? `\n  Next: ${event.next}` : ''}`);
        break;
    }
  }
}

interface TurnOutcome {
  approval?: { approvalId: string; plan: PlanView };
  asked: boolean;
  failed: boolean;
}

async function runTurn(
  agent: Agent,
  conversationId: string,
  message: UserMessage,
  emit: (event: AgentEvent) => void,
  autoApprove: { maxCostPerHour: number } | undefined,
  signal: AbortSignal,
): Promise<TurnOutcome> {
  const outcome: TurnOutcome = { asked: false, failed: false };
  for await (const event of agent.send(conversationId, message, {
    signal,
    ...(autoApprove ? { autoApprove } : {}),
  })) {
    emit(event);
    if (event.type === 'approval-request')
      outcome.approval = { approvalId: event.approvalId, plan: event.plan };
    if (event.type === 'question') outcome.asked = true;
    if (event.type === 'error') outcome.failed = true;
    // An auto-approved plan continues in the same turn; what counts is the last request left open.
    if (event.type === 'summary' || event.type === 'tool-result') outcome.approval = undefined;
  }
  return outcome;
}

function plannerOption(options: CliOptions): PlannerChoice | undefined {
  const value = options.values.planner;
  if (value === undefined) return undefined;
  if (value !== 'auto' && value !== 'offline' && value !== 'llm')
    throw new UsageError('--planner must be auto, offline or llm');
  return value;
}

async function conversationFor(runtime: Runtime, options: CliOptions): Promise<string> {
  if (typeof options.values.conversation === 'string') return options.values.conversation;
  if (options.values.continue) {
    const last = await runtime.store.get<{ id: string }>('agent', CLI_STATE_KIND, LAST_CONVERSATION);
    if (last) return last.data.id;
  }
  const { randomBytes } = await import('node:crypto');
  return `c-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export async function commandAsk(runtime: Runtime, options: CliOptions): Promise<number> {
  const text = options.positionals.slice(1).join(' ').trim();
  if (!text)
    throw new UsageError('ask needs a request, e.g. s2a ask "3 cheapest GPU VMs near Seoul with ollama"');
  const planner = plannerOption(options);
  const agent = await openAgent({ runtime, ...(planner ? { planner } : {}) });
  const conversationId = await conversationFor(runtime, options);
  await runtime.store.put('agent', CLI_STATE_KIND, LAST_CONVERSATION, { id: conversationId });
  const budget = mcpConfigFromEnvironment(process.env).maxCostPerHour;
  const autoApprove = options.values.yes ? { maxCostPerHour: budget } : undefined;
  const printer = new EventPrinter(Boolean(process.stdout.isTTY) && !options.json);
  const emit = (event: AgentEvent) => {
    if (options.json) console.log(JSON.stringify(event));
    else printer.print(event);
  };
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  let readline: Interface | undefined;
  try {
    let message: UserMessage = { text };
    for (;;) {
      const outcome = await runTurn(agent, conversationId, message, emit, autoApprove, controller.signal);
      if (!outcome.approval) {
        if (options.json) console.log(JSON.stringify({ type: 'end', conversationId }));
        else if (outcome.asked) console.log(`(answer with: s2a ask --continue "…")`);
        return outcome.failed ? 1 : 0;
      }
      if (autoApprove) return 1; // --yes refused it: over the budget (the error was printed)
      if (!process.stdin.isTTY || options.json) {
        if (options.json)
          console.log(JSON.stringify({ type: 'end', conversationId, awaitingApproval: true }));
        else
          console.log(
            'Not approved: run with --yes to approve plans within the budget, or answer in "s2a chat".',
          );
        return 3;
      }
      readline ??= createInterface({ input: process.stdin, output: process.stdout });
      const answer = (await readline.question('Approve this plan? [y/N] ')).trim().toLowerCase();
      message = {
        approval: { approvalId: outcome.approval.approvalId, approved: answer === 'y' || answer === 'yes' },
      };
    }
  } finally {
    process.off('SIGINT', onSignal);
    readline?.close();
    await agent.close();
  }
}

export async function commandChat(runtime: Runtime, options: CliOptions): Promise<number> {
  const planner = plannerOption(options);
  const agent = await openAgent({ runtime, ...(planner ? { planner } : {}) });
  let conversationId = await conversationFor(runtime, options);
  const printer = new EventPrinter(Boolean(process.stdout.isTTY));
  const readline = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: Boolean(process.stdin.isTTY),
  });
  console.log(
    `s2a chat (${agent.planner.name} planner). Ask in English or Korean; "/new" starts over, "/exit" leaves.`,
  );
  try {
    for (;;) {
      let line: string;
      try {
        line = (await readline.question('> ')).trim();
      } catch {
        return 0; // stdin closed
      }
      if (line === '/exit' || line === '/quit') return 0;
      if (line === '/new') {
        conversationId = await conversationFor(runtime, { ...options, values: {} });
        console.log('New conversation.');
        continue;
      }
      if (!line) continue;
      await runtime.store.put('agent', CLI_STATE_KIND, LAST_CONVERSATION, { id: conversationId });
      const controller = new AbortController();
      const outcome = await runTurn(
        agent,
        conversationId,
        { text: line },
        (event) => printer.print(event),
        undefined,
        controller.signal,
      );
      if (outcome.approval) console.log('Approve? Answer yes or no (or change the request).');
    }
  } finally {
    readline.close();
    await agent.close();
  }
}
