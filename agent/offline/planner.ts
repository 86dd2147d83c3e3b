/**
 * The offline planner: deterministic, English and Korean, no model. Each message is understood
 * (understand.ts, with what the conversation knows: "it", the MCIs that exist, the pending plan) and
 * acted on through the MCP tools. Anything that spends or destroys becomes a plan and one approval
 * request; only the approval runs it. Text that tools return is shown as data, never obeyed.
 */
import { newApprovalId } from '../agent.ts';
import type { AgentEvent, PendingAction, Planner, PlannerInput, PlanView } from '../types.ts';
import { planDeploy } from './act-deploy.ts';
import { executeDeploy } from './act-execute.ts';
import {
  answerApps,
  answerList,
  answerOperation,
  answerStatus,
  executeChange,
  helpText,
  planChange,
  planChangeOfEvery,
} from './act-manage.ts';
import { answerEstimate, answerSearch } from './act-search.ts';
import type { ConversationContext, DeployIntent, Intent } from './intent.ts';
import { money } from './plan-view.ts';
import {
  knownMcisOf,
  type OfflinePlannerState,
  type PendingState,
  readState,
  say,
  Turn,
  writeState,
} from './planner-turn.ts';
import { understand } from './understand.ts';

/** Words that make a sentence a change to the pending plan rather than a request of its own. */
const REVISION_WORDS =
  /\b(?:instead|actually|rather|make\s+it|change|switch|also|too|as\s+well|plus|swap|update|use|only|more|fewer|less|same|but)\b|대신|바꿔|바꾸|변경|말고|도\s*(?:설치|깔|추가|넣)|로\s*해|으로\s*해|하자|더|만/i;

/** "node 2", "노드 2", "2번 노드": one node, by its number. */
const NODE_WORDS =
  /\b(?:node|vm|server)\s*#?\s*(\d+)\b|(?:노드|서버|vm)\s*(\d+)|(\d+)\s*번\s*(?:노드|서버|vm)/i;

export class OfflinePlanner implements Planner {
  readonly name = 'offline';

  async *respond(input: PlannerInput): AsyncGenerator<AgentEvent> {
    const { conversation, message } = input;
    const turn = new Turn(conversation, input.tools, input.signal);
    const state = readState(conversation);
    turn.language = state.language ?? 'en';
    if ('approval' in message) {
      yield* this.answerApproval(turn, state, message.approval.approved);
      return;
    }
    const known = yield* turn.mcis();
    const context: ConversationContext = { knownMcis: knownMcisOf(known) };
    if (conversation.lastMciName !== undefined) context.lastMciName = conversation.lastMciName;
    if (state.pendingPlan !== undefined) context.pendingPlan = state.pendingPlan;
    if (state.lastSearch !== undefined) context.lastSearch = state.lastSearch;
    const lastOperationId = conversation.lastOperationId ?? state.lastOperationId;
    if (lastOperationId !== undefined) context.lastOperationId = lastOperationId;
    let understanding = understand(message.text, context);
    // A whole new deploy sentence while a plan waits is a new request, not a revision of the old one
    // (which would keep the old plan's GPUs or places); follow-up words ("instead", "also") revise.
    if (
      understanding.kind === 'intent' &&
      understanding.intent.kind === 'deploy' &&
      understanding.intent.revised !== undefined &&
      !REVISION_WORDS.test(message.text)
    ) {
      const { pendingPlan: _pending, ...withoutPlan } = context;
      const fresh = understand(message.text, withoutPlan);
      if (fresh.kind === 'intent' && fresh.intent.kind === 'deploy') understanding = fresh;
    }
    turn.language = understanding.language;
    state.language = understanding.language;
    writeState(conversation, state);
    if (understanding.flags.injection)
      yield {
        type: 'text',
        text: say(
          turn.language,
          'Part of your message asked me to change my rules or skip the confirmation; I ignored that part.',
          '메시지 일부가 규칙을 바꾸거나 확인을 건너뛰라고 요청해서 그 부분은 무시했습니다.',
        ),
      };
    if (understanding.kind === 'clarify') {
      const { question, options } = understanding.clarification;
      yield { type: 'question', text: question, ...(options !== undefined ? { options } : {}) };
      return;
    }
    yield* this.act(turn, state, understanding.intent, message.text);
  }

  private async *act(
    turn: Turn,
    state: OfflinePlannerState,
    intent: Intent,
    text: string,
  ): AsyncGenerator<AgentEvent> {
    const { conversation } = turn;
    const language = turn.language;
    switch (intent.kind) {
      case 'searchSpecs':
        state.lastSearch = intent;
        writeState(conversation, state);
        yield* answerSearch(turn, intent);
        return;
      case 'estimateCost':
        yield* answerEstimate(turn, intent);
        return;
      case 'deploy':
        yield* this.deploy(turn, state, intent);
        return;
      case 'listMcis':
        yield* answerList(turn);
        return;
      case 'mciStatus':
        if (yield* answerStatus(turn, intent.target.name)) conversation.lastMciName = intent.target.name;
        return;
      case 'operationStatus':
      case 'cancelOperation':
        yield* answerOperation(turn, intent.operationId, intent.kind === 'cancelOperation');
        return;
      case 'listApps':
        yield* answerApps(turn);
        return;
      case 'help':
        yield { type: 'text', text: helpText(language, intent.greeting) };
        return;
      case 'confirm':
        // A yes the agent did not read as one ("go for it"): the same as approving.
        if (conversation.pendingApproval !== undefined) yield* this.answerApproval(turn, state, true);
        else
          yield {
            type: 'text',
            text: say(language, 'Nothing is waiting for your approval.', '승인을 기다리는 계획이 없습니다.'),
          };
        return;
      case 'reject':
        if (conversation.pendingApproval !== undefined || state.pendingPlan !== undefined)
          yield* this.answerApproval(turn, state, false);
        else yield { type: 'text', text: say(language, 'Nothing is pending.', '대기 중인 작업이 없습니다.') };
        return;
      case 'scale':
      case 'control':
      case 'delete':
      case 'runCommand':
      case 'installApp': {
        // "노드 2 삭제해줘" must never become "delete the whole MCI": a node the words name is kept.
        if ((intent.kind === 'delete' || intent.kind === 'control') && intent.node === undefined) {
          const found = NODE_WORDS.exec(text);
          const node = found?.[1] ?? found?.[2] ?? found?.[3];
          if (node !== undefined) intent.node = node;
        }
        const outcome =
          (intent.kind === 'delete' || intent.kind === 'control') && (intent.targets?.length ?? 0) > 1
            ? yield* planChangeOfEvery(turn, intent)
            : yield* planChange(turn, intent);
        if (outcome.kind === 'text') {
          yield { type: 'text', text: outcome.text };
          return;
        }
        if (outcome.kind === 'question') {
          yield {
            type: 'question',
            text: outcome.text,
            ...(outcome.options ? { options: outcome.options } : {}),
          };
          return;
        }
        conversation.lastMciName = intent.target.name;
        const pending: PendingState = {
          kind: 'manage',
          language,
          intent,
          mciName: intent.target.name,
          ...(outcome.newNodes ? { newNodes: outcome.newNodes } : {}),
        };
        yield* this.ask(turn, outcome.plan, outcome.actions, pending);
        return;
      }
    }
  }

  private async *deploy(
    turn: Turn,
    state: OfflinePlannerState,
    intent: DeployIntent,
  ): AsyncGenerator<AgentEvent> {
    const { conversation } = turn;
    const taken = new Set((yield* turn.mcis()).map((mci) => mci.name));
    // The plan is refused or replaced below; until then "make it 5" revises this intent.
    state.pendingPlan = intent;
    writeState(conversation, state);
    const outcome = yield* planDeploy(turn, intent, taken);
    if (outcome.kind === 'refused') {
      // No approval for a plan that was not made: an older one waiting would be confusing.
      delete conversation.pendingApproval;
      yield { type: 'text', text: outcome.text };
      return;
    }
    const pending: PendingState = {
      kind: 'deploy',
      language: turn.language,
      intent,
      mciName: outcome.mciName,
    };
    yield* this.ask(turn, outcome.plan, outcome.actions, pending);
  }

  /** Shows the plan and ends the turn with one approval request; nothing has been changed. */
  private async *ask(
    turn: Turn,
    plan: PlanView,
    actions: PendingAction[],
    state: PendingState,
  ): AsyncGenerator<AgentEvent> {
    const approvalId = newApprovalId();
    // JSON-safe copies: the conversation is persisted as JSON.
    turn.conversation.pendingApproval = {
      approvalId,
      plan,
      actions: structuredClone(actions),
      state: structuredClone(state),
    };
    yield { type: 'plan', plan };
    yield {
      type: 'text',
      text: say(
        turn.language,
        `${plan.title}${plan.pricePerHour > 0 ? `, ${money(plan.pricePerHour)}/h` : ''}. Approve this plan? (yes/no)`,
        `${plan.title}${plan.pricePerHour > 0 ? `, ${money(plan.pricePerHour)}/h` : ''}. 이 계획대로 진행할까요? (네/아니요)`,
      ),
    };
    yield { type: 'approval-request', approvalId, plan, actions };
  }

  /** "How is it going", "cancel it": the last operation started in this conversation. */
  private rememberOperation(turn: Turn, state: OfflinePlannerState, operationId: string | undefined): void {
    if (operationId === undefined) return;
    turn.conversation.lastOperationId = operationId;
    state.lastOperationId = operationId;
    writeState(turn.conversation, state);
  }

  private async *answerApproval(
    turn: Turn,
    state: OfflinePlannerState,
    approved: boolean,
  ): AsyncGenerator<AgentEvent> {
    const { conversation } = turn;
    const pending = conversation.pendingApproval;
    const pendingState = pending?.state as PendingState | undefined;
    if (pendingState !== undefined) turn.language = pendingState.language;
    // Whatever the answer, this plan is spent: it never runs twice. A refused deploy stays known as the
    // plan to revise ("no" then "make it 2 in Frankfurt instead"); a "no" with nothing to approve drops it.
    delete conversation.pendingApproval;
    if (approved || pending === undefined || pendingState?.kind !== 'deploy') delete state.pendingPlan;
    writeState(conversation, state);
    if (!approved || pending === undefined || pendingState === undefined) {
      const deploy = pendingState === undefined || pendingState.kind === 'deploy';
      yield {
        type: 'text',
        text: deploy
          ? say(turn.language, 'OK, nothing was created.', '알겠습니다. 아무것도 만들지 않았습니다.')
          : say(turn.language, 'OK, nothing was changed.', '알겠습니다. 아무것도 바꾸지 않았습니다.'),
      };
      return;
    }
    if (pendingState.kind === 'deploy') {
      const regionNames = Object.fromEntries(
        pending.plan.groups.map((group) => [group.regionId, group.regionName]),
      );
      const { created, operationId } = yield* executeDeploy(
        turn,
        pendingState.mciName,
        pending.actions,
        regionNames,
      );
      this.rememberOperation(turn, state, operationId);
      if (created) conversation.lastMciName = pendingState.mciName;
      return;
    }
    const { exists, operationId } = yield* executeChange(turn, pendingState.mciName, pending.actions);
    this.rememberOperation(turn, state, operationId);
    if (exists) conversation.lastMciName = pendingState.mciName;
    else if (conversation.lastMciName === pendingState.mciName) delete conversation.lastMciName;
  }
}
