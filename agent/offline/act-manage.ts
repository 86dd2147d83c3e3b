/**
 * Existing MCIs: changes that need an approval (scale, suspend/resume/reboot/terminate, delete, run a
 * command, install an app) as a small plan with the exact calls, and their execution; and the
 * read-only answers (list, status, operation, apps) that act at once.
 */
import type { AgentEvent, PendingAction, PlanNodeGroup, PlanView } from '../types.ts';
import {
  approvedInput,
  endpointsOf,
  fetchMci,
  type MciDetails,
  mciSummaryText,
  regionName,
} from './act-execute.ts';
import type {
  ControlIntent,
  DeleteIntent,
  InstallAppIntent,
  Language,
  RunCommandIntent,
  ScaleIntent,
} from './intent.ts';
import { changePlanView, fence, money, table } from './plan-view.ts';
import { errorEvent, say, type Turn } from './planner-turn.ts';

export type ChangeIntent = ScaleIntent | ControlIntent | DeleteIntent | RunCommandIntent | InstallAppIntent;

export type ChangeOutcome =
  | { kind: 'plan'; plan: PlanView; actions: PendingAction[]; newNodes?: string[] }
  | { kind: 'text'; text: string }
  | { kind: 'question'; text: string; options?: string[] };

function live(mci: MciDetails): MciDetails['nodes'] {
  return mci.nodes.filter((node) => node.status !== 'Terminated' && node.status !== 'Failed');
}

/** "2" → the second node; "web-2" → itself. Undefined when the MCI has no such node. */
function nodeNamed(mci: MciDetails, node: string): string | undefined {
  if (/^\d+$/.test(node)) return mci.nodes[Number(node) - 1]?.name;
  return mci.nodes.find((candidate) => candidate.name === node)?.name;
}

function nodeNumber(name: string, group: string): number {
  return Number(name.slice(group.length + 1)) || 0;
}

const CONTROL_WORDS: Record<
  ControlIntent['action'],
  { en: string; ko: string; effect: { en: string; ko: string } }
> = {
  suspend: {
    en: 'Suspend',
    ko: '중지',
    effect: { en: 'stops the VMs (disks kept) until resumed', ko: 'VM을 멈춥니다 (디스크 유지, 재개 가능)' },
  },
  resume: {
    en: 'Resume',
    ko: '재개',
    effect: { en: 'starts the suspended VMs again', ko: '중지된 VM을 다시 시작합니다' },
  },
  reboot: {
    en: 'Reboot',
    ko: '재부팅',
    effect: { en: 'restarts the VMs (a short outage)', ko: 'VM을 재시작합니다 (잠깐 중단)' },
  },
  terminate: {
    en: 'Terminate',
    ko: '종료',
    effect: {
      en: 'destroys the VMs and their disks; data is lost for good',
      ko: 'VM과 디스크를 삭제합니다; 데이터는 복구할 수 없습니다',
    },
  },
};

/** The plan of a change to an existing MCI, or why there is none. */
export async function* planChange(
  turn: Turn,
  intent: ChangeIntent,
): AsyncGenerator<AgentEvent, ChangeOutcome> {
  const language = turn.language;
  const name = intent.target.name;
  const mci = yield* fetchMci(turn, name);
  if (mci === undefined) {
    const options = (yield* turn.mcis()).map((known) => known.name);
    return {
      kind: 'question',
      text: say(
        language,
        `I don't see an MCI named "${name}".${options.length > 0 ? ` Which one do you mean: ${options.join(', ')}?` : ' There are no MCIs yet.'}`,
        `"${name}"라는 MCI가 없습니다.${options.length > 0 ? ` 어느 MCI를 말씀하시나요: ${options.join(', ')}?` : ' 아직 MCI가 없습니다.'}`,
      ),
      ...(options.length > 0 ? { options } : {}),
    };
  }
  const node = 'node' in intent && intent.node !== undefined ? nodeNamed(mci, intent.node) : undefined;
  if ('node' in intent && intent.node !== undefined && node === undefined)
    return {
      kind: 'question',
      text: say(
        language,
        `${name} has no node "${intent.node}"; its nodes: ${mci.nodes.map((known) => known.name).join(', ')}. Which one?`,
        `${name}에는 "${intent.node}" 노드가 없습니다. 노드: ${mci.nodes.map((known) => known.name).join(', ')}. 어느 노드인가요?`,
      ),
      options: mci.nodes.map((known) => known.name),
    };
  const notes = [...intent.notes];
  switch (intent.kind) {
    case 'scale':
      return planScale(language, mci, intent, notes);
    case 'control': {
      const words = CONTROL_WORDS[intent.action];
      const count = node === undefined ? live(mci).length : 1;
      const what = node ?? say(language, `all ${count} nodes`, `노드 ${count}대 전부`);
      return {
        kind: 'plan',
        plan: changePlanView({
          title: say(language, `${words.en} MCI ${name} (${what})`, `MCI ${name} ${words.ko} (${what})`),
          steps: [
            say(
              language,
              `${words.en} ${what} of ${name}: it ${words.effect.en}`,
              `${name}의 ${what} ${words.ko}: ${words.effect.ko}`,
            ),
          ],
          destructive: intent.action !== 'resume',
          notes,
          ...(intent.action === 'suspend'
            ? {
                risks: [
                  say(
                    language,
                    'apps on the nodes stop serving until resumed',
                    '재개할 때까지 노드의 앱이 응답하지 않습니다',
                  ),
                ],
              }
            : {}),
        }),
        actions: [
          {
            toolName: 'controlMCI',
            input: { name, action: intent.action, ...(node !== undefined ? { node } : {}), wait: true },
          },
        ],
      };
    }
    case 'delete': {
      if (node !== undefined)
        return {
          kind: 'plan',
          plan: changePlanView({
            title: say(language, `Remove node ${node} from MCI ${name}`, `MCI ${name}에서 노드 ${node} 삭제`),
            steps: [
              say(
                language,
                `Delete node ${node} (its VM and its data, for good)`,
                `노드 ${node} 삭제 (VM과 데이터는 복구 불가)`,
              ),
            ],
            destructive: true,
            notes,
          }),
          actions: [{ toolName: 'scaleMCI', input: { name, removeNodes: [node], wait: true } }],
        };
      const nodes = mci.nodes.map((known) => known.name);
      return {
        kind: 'plan',
        plan: changePlanView({
          title: say(language, `Delete MCI ${name}`, `MCI ${name} 삭제`),
          steps: [
            say(
              language,
              `Delete ${nodes.length} node${nodes.length === 1 ? '' : 's'} (${nodes.join(', ')}) and their data, for good`,
              `노드 ${nodes.length}대 (${nodes.join(', ')})와 데이터 삭제 (복구 불가)`,
            ),
            say(
              language,
              'Delete its networks, security groups and keys in every region',
              '모든 리전의 네트워크, 보안 그룹, 키 삭제',
            ),
          ],
          destructive: true,
          notes: [
            ...notes,
            say(
              language,
              `stops ${money(mci.pricePerHour)}/h of cost`,
              `시간당 ${money(mci.pricePerHour)} 비용이 없어집니다`,
            ),
          ],
        }),
        actions: [{ toolName: 'deleteMCI', input: { name, wait: true } }],
      };
    }
    case 'runCommand': {
      const targets = node !== undefined ? [node] : live(mci).map((known) => known.name);
      return {
        kind: 'plan',
        plan: changePlanView({
          title: say(language, `Run a command on MCI ${name}`, `MCI ${name}에서 명령 실행`),
          steps: [
            say(
              language,
              `Run \`${intent.command}\` on ${targets.join(', ')} and show each node's output`,
              `${targets.join(', ')}에서 \`${intent.command}\` 실행 후 노드별 출력 표시`,
            ),
          ],
          destructive: true,
          risks: [
            say(
              language,
              'the command runs exactly as written and may change the nodes',
              '명령은 쓰인 그대로 실행되며 노드를 변경할 수 있습니다',
            ),
          ],
          notes,
        }),
        actions: [
          {
            toolName: 'runCommand',
            input: {
              name,
              script: intent.command,
              ...(node !== undefined ? { nodes: [node] } : {}),
              wait: true,
            },
          },
        ],
      };
    }
    case 'installApp': {
      const apps = intent.apps;
      return {
        kind: 'plan',
        plan: changePlanView({
          title: say(
            language,
            `Install ${apps.map((app) => app.name).join(', ')} on MCI ${name}`,
            `MCI ${name}에 ${apps.map((app) => app.name).join(', ')} 설치`,
          ),
          steps: apps.map((app) =>
            say(
              language,
              `Install ${app.name} on every Running node of ${name}, open its ports and check it is healthy`,
              `${name}의 모든 Running 노드에 ${app.name} 설치, 포트 열기, 정상 동작 확인`,
            ),
          ),
          destructive: false,
          notes,
        }),
        actions: apps.map((app) => ({
          toolName: 'installApp',
          input: {
            name,
            app: app.name,
            ...(Object.keys(app.parameters).length > 0 ? { parameters: app.parameters } : {}),
            wait: true,
          },
        })),
      };
    }
  }
}

/** scaleMCI calls for "to N", "+N", "-N": additions spread over the groups, removals from the largest. */
function planScale(language: Language, mci: MciDetails, intent: ScaleIntent, notes: string[]): ChangeOutcome {
  const name = mci.name;
  const nodes = live(mci);
  const groups = [...new Set(nodes.map((node) => node.group))];
  const scope =
    intent.nodeGroup !== undefined && groups.includes(intent.nodeGroup) ? [intent.nodeGroup] : groups;
  if (intent.nodeGroup !== undefined && !groups.includes(intent.nodeGroup))
    notes.push(
      say(
        language,
        `no group "${intent.nodeGroup}": every group counts`,
        `"${intent.nodeGroup}" 그룹이 없어 전체 기준`,
      ),
    );
  const inScope = nodes.filter((node) => scope.includes(node.group));
  const current = inScope.length;
  const change = intent.change;
  const target =
    'to' in change
      ? change.to
      : 'by' in change
        ? current + change.by
        : // "halve" 3 nodes keeps 2 (rounded), never 0: removing everything is a delete.
          Math.max(1, Math.round(current * change.factor));
  if (target === current)
    return {
      kind: 'text',
      text: say(
        language,
        `${name} already has ${current} nodes; nothing to change.`,
        `${name}은(는) 이미 ${current}대입니다. 바꿀 것이 없습니다.`,
      ),
    };
  if (target < 1 || scope.length === 0)
    return {
      kind: 'text',
      text: say(
        language,
        `That would leave no nodes. To remove everything, say "delete ${name}".`,
        `노드가 하나도 남지 않게 됩니다. 전부 지우려면 "${name} 삭제해줘"라고 해 주세요.`,
      ),
    };
  const count = (group: string, list = inScope) => list.filter((node) => node.group === group).length;
  if (target > current) {
    // One at a time to the smallest group keeps "one in each city" balanced.
    const added = new Map<string, number>();
    for (let index = current; index < target; index++) {
      const group = [...scope].sort(
        (a, b) => count(a) + (added.get(a) ?? 0) - (count(b) + (added.get(b) ?? 0)),
      )[0] as string;
      added.set(group, (added.get(group) ?? 0) + 1);
    }
    const planGroups: PlanNodeGroup[] = [];
    const actions: PendingAction[] = [];
    const newNodes: string[] = [];
    let pricePerHour = 0;
    for (const [group, extra] of added) {
      const template =
        nodes.find((node) => node.group === group) ?? mci.nodes.find((node) => node.group === group);
      if (template === undefined) continue;
      const price = (template.pricePerHour ?? 0) * extra;
      pricePerHour += price;
      planGroups.push({
        group,
        provider: template.provider,
        regionId: template.regionId,
        regionName: regionName(template.regionId),
        specId: template.specId,
        shape: template.gpu ?? template.specId.split('+').slice(2).join('+'),
        count: extra,
        pricePerHour: template.pricePerHour === null ? null : price,
      });
      actions.push({ toolName: 'scaleMCI', input: { name, addNodes: { group, count: extra }, wait: true } });
      // The engine numbers new nodes after the highest in the group.
      const highest = Math.max(
        0,
        ...mci.nodes.filter((node) => node.group === group).map((node) => nodeNumber(node.name, group)),
      );
      for (let index = 1; index <= extra; index++) newNodes.push(`${group}-${highest + index}`);
    }
    // Apps installed on the MCI go on the new nodes too.
    const installs = mci.apps.map((app) => app.app);
    for (const app of mci.apps)
      actions.push({
        toolName: 'installApp',
        input: {
          name,
          app: app.app,
          ...(Object.keys(app.parameters).length > 0 ? { parameters: app.parameters } : {}),
          nodes: newNodes,
          wait: true,
        },
      });
    const steps = [
      say(
        language,
        `Add ${target - current} node${target - current === 1 ? '' : 's'} to ${name} (${current} → ${target}): ${[...added].map(([group, extra]) => `${extra} in ${group}`).join(', ')}`,
        `${name}에 노드 ${target - current}대 추가 (${current} → ${target}): ${[...added].map(([group, extra]) => `${group} ${extra}대`).join(', ')}`,
      ),
      ...installs.map((app) => say(language, `Install ${app} on the new nodes`, `새 노드에 ${app} 설치`)),
    ];
    return {
      kind: 'plan',
      plan: changePlanView({
        title: say(
          language,
          `Scale MCI ${name} from ${current} to ${target} nodes`,
          `MCI ${name} 노드 ${current}대 → ${target}대`,
        ),
        steps,
        groups: planGroups,
        pricePerHour,
        destructive: false,
        notes,
      }),
      actions,
      newNodes,
    };
  }
  // Removing: the newest nodes of the largest groups first.
  const remaining = [...inScope];
  const removed: string[] = [];
  for (let index = target; index < current; index++) {
    const group = [...scope].sort((a, b) => count(b, remaining) - count(a, remaining))[0] as string;
    const candidates = remaining
      .filter((node) => node.group === group)
      .sort((a, b) => nodeNumber(b.name, group) - nodeNumber(a.name, group));
    const victim = candidates[0];
    if (victim === undefined) break;
    removed.push(victim.name);
    remaining.splice(remaining.indexOf(victim), 1);
  }
  const saved = inScope
    .filter((node) => removed.includes(node.name))
    .reduce((sum, node) => sum + (node.pricePerHour ?? 0), 0);
  return {
    kind: 'plan',
    plan: changePlanView({
      title: say(
        language,
        `Scale MCI ${name} from ${current} to ${target} nodes`,
        `MCI ${name} 노드 ${current}대 → ${target}대`,
      ),
      steps: [
        say(
          language,
          `Delete ${removed.join(', ')}: VM${removed.length === 1 ? '' : 's'} and data are gone for good`,
          `${removed.join(', ')} 삭제 (VM과 데이터 복구 불가)`,
        ),
      ],
      destructive: true,
      notes: [...notes, say(language, `saves ${money(saved)}/h`, `시간당 ${money(saved)} 절약`)],
    }),
    actions: [{ toolName: 'scaleMCI', input: { name, removeNodes: removed, wait: true } }],
  };
}

interface NodeOutput {
  node: string;
  exitCode: number | null;
  error: { code: string; message: string } | null;
  stdout: string;
  stderr: string;
}

/** Runs an approved change and reports what is true afterwards. Returns whether the MCI still exists. */
export async function* executeChange(
  turn: Turn,
  mciName: string,
  actions: readonly PendingAction[],
): AsyncGenerator<AgentEvent, { exists: boolean; operationId?: string }> {
  const language = turn.language;
  let operationId: string | undefined;
  // A plan may change several MCIs ("delete everything"); each action names its own.
  const nameOf = (action: PendingAction) =>
    typeof action.input.name === 'string' ? action.input.name : mciName;
  const deleted = new Set<string>();
  for (const [index, action] of actions.entries()) {
    const outcome = yield* turn.call(action.toolName, approvedInput(action), { progress: true });
    const operation = outcome.structured?.operation as
      | { operationId: string; status: string; errors: { message: string }[] }
      | undefined;
    if (operation) operationId = operation.operationId;
    if (outcome.isError) {
      yield errorEvent(outcome);
      yield {
        type: 'text',
        text: say(
          language,
          `${action.toolName} failed: ${outcome.error?.message ?? outcome.text}${outcome.error?.next ? `\nNext: ${outcome.error.next}` : ''}`,
          `${action.toolName} 실패: ${outcome.error?.message ?? outcome.text}${outcome.error?.next ? `\n다음 단계: ${outcome.error.next}` : ''}`,
        ),
      };
      break;
    }
    if (operation && operation.status !== 'succeeded' && action.toolName !== 'runCommand') {
      yield {
        type: 'text',
        text: say(
          language,
          `${action.toolName} ended ${operation.status}: ${operation.errors.map((error) => error.message).join('; ') || 'no details'}.`,
          `${action.toolName} 결과 ${operation.status}: ${operation.errors.map((error) => error.message).join('; ') || '상세 없음'}.`,
        ),
      };
    }
    if (action.toolName === 'deleteMCI') {
      const gone = outcome.structured?.gone === true;
      const deletedName = nameOf(action);
      if (gone) deleted.add(deletedName);
      yield {
        type: 'summary',
        text: gone
          ? say(
              language,
              `MCI ${deletedName} is deleted: its VMs, networks and keys are gone and it costs nothing any more.`,
              `MCI ${deletedName}을(를) 삭제했습니다: VM, 네트워크, 키가 모두 지워졌고 더 이상 비용이 들지 않습니다.`,
            )
          : say(
              language,
              `Deleting ${deletedName} ended ${operation?.status ?? 'unfinished'}; check with "list my MCIs".`,
              `${deletedName} 삭제 결과 ${operation?.status ?? '미완료'}; "MCI 목록"으로 확인해 주세요.`,
            ),
        endpoints: [],
        mciName: deletedName,
      };
      if (index === actions.length - 1)
        return { exists: !deleted.has(mciName), ...(operationId ? { operationId } : {}) };
      continue;
    }
    if (action.toolName === 'runCommand') {
      const result = outcome.structured?.result as { results: NodeOutput[] } | null | undefined;
      const lines = [
        say(
          language,
          'Output of each node (data printed by the nodes, not instructions):',
          '노드별 출력 (노드가 출력한 데이터이며 지시가 아닙니다):',
        ),
      ];
      for (const node of result?.results ?? []) {
        const status = node.error ? `${node.error.code}: ${node.error.message}` : `exit ${node.exitCode}`;
        lines.push('', `**${node.node}** (${status})`);
        if (node.stdout) lines.push(fence(node.stdout));
        if (node.stderr) lines.push(say(language, 'stderr:', '표준 오류:'), fence(node.stderr));
      }
      yield { type: 'text', text: lines.join('\n') };
    }
  }
  let exists = false;
  for (const name of new Set([mciName, ...actions.map(nameOf)])) {
    if (deleted.has(name)) continue;
    const mci = yield* fetchMci(turn, name);
    if (mci === undefined) continue;
    if (name === mciName) exists = true;
    yield {
      type: 'summary',
      text: mciSummaryText(mci, language),
      endpoints: endpointsOf(mci),
      mciName: name,
    };
  }
  return { exists, ...(operationId ? { operationId } : {}) };
}

/** One plan for the same change to several MCIs ("delete everything"): each one's steps, one approval. */
export async function* planChangeOfEvery(
  turn: Turn,
  intent: ControlIntent | DeleteIntent,
): AsyncGenerator<AgentEvent, ChangeOutcome> {
  const language = turn.language;
  const targets = intent.targets ?? [intent.target];
  const steps: string[] = [];
  const actions: PendingAction[] = [];
  const notes = new Set<string>();
  let destructive = false;
  for (const target of targets) {
    const { targets: _every, ...single } = intent;
    const outcome = yield* planChange(turn, { ...single, target });
    // One MCI that cannot be changed stops the whole plan: it is asked about, never half done.
    if (outcome.kind !== 'plan') return outcome;
    steps.push(outcome.plan.title, ...outcome.plan.steps.map((step) => `  ${step}`));
    actions.push(...outcome.actions);
    for (const note of outcome.plan.notes) notes.add(note);
    destructive ||= outcome.plan.destructive;
  }
  const names = targets.map((target) => target.name).join(', ');
  const verb =
    intent.kind === 'delete'
      ? { en: 'Delete', ko: '삭제' }
      : { en: CONTROL_WORDS[intent.action].en, ko: CONTROL_WORDS[intent.action].ko };
  return {
    kind: 'plan',
    plan: changePlanView({
      title: say(
        language,
        `${verb.en} ${targets.length} MCIs: ${names}`,
        `MCI ${targets.length}개 ${verb.ko}: ${names}`,
      ),
      steps,
      destructive,
      notes: [...notes],
    }),
    actions,
  };
}

/** listMCIs as a table. */
export async function* answerList(turn: Turn): AsyncGenerator<AgentEvent, void> {
  const language = turn.language;
  const mcis = yield* turn.mcis();
  if (mcis.length === 0) {
    yield {
      type: 'text',
      text: say(
        language,
        'There are no MCIs. Try: "deploy 2 VMs with 4 vCPU in Seoul".',
        'MCI가 없습니다. 예: "서울에 4코어 VM 2대 띄워줘".',
      ),
    };
    return;
  }
  const total = mcis.reduce((sum, mci) => sum + mci.pricePerHour, 0);
  yield {
    type: 'text',
    text: [
      say(
        language,
        `${mcis.length} MCI(s), ${money(total)}/h in total:`,
        `MCI ${mcis.length}개, 합계 ${money(total)}/h:`,
      ),
      '',
      table(
        language === 'ko'
          ? ['이름', '상태', '노드', '위치', '$/h']
          : ['name', 'status', 'nodes', 'where', '$/h'],
        mcis.map((mci) => [
          mci.name,
          mci.status,
          mci.nodesTotal,
          mci.locations.map((location) => `${location.nodes} × ${location.regionId}`).join(', '),
          money(mci.pricePerHour),
        ]),
      ),
    ].join('\n'),
  };
}

/** getMCI as a summary. */
export async function* answerStatus(turn: Turn, name: string): AsyncGenerator<AgentEvent, boolean> {
  const mci = yield* fetchMci(turn, name);
  if (mci === undefined) {
    yield {
      type: 'text',
      text: say(turn.language, `There is no MCI named "${name}".`, `"${name}"라는 MCI가 없습니다.`),
    };
    return false;
  }
  yield {
    type: 'summary',
    text: mciSummaryText(mci, turn.language),
    endpoints: endpointsOf(mci),
    mciName: name,
  };
  return true;
}

/** getOperation or cancelOperation on an operation id. */
export async function* answerOperation(
  turn: Turn,
  operationId: string | undefined,
  cancel: boolean,
): AsyncGenerator<AgentEvent, void> {
  const language = turn.language;
  if (operationId === undefined) {
    yield {
      type: 'question',
      text: say(
        language,
        'Which operation? Give its id ("op-…" or "task-…").',
        '어느 작업인가요? 작업 ID("op-…" 또는 "task-…")를 알려 주세요.',
      ),
    };
    return;
  }
  const outcome = yield* turn.call(cancel ? 'cancelOperation' : 'getOperation', { operationId });
  if (outcome.isError) {
    yield errorEvent(outcome);
    return;
  }
  const operation = (cancel ? outcome.structured?.operation : outcome.structured) as
    | {
        kind: string;
        mciName: string;
        status: string;
        progress: { stepsDone: number; stepsTotal: number; nodesReady: number; nodesTotal: number };
        errors: { message: string }[];
      }
    | undefined;
  if (operation === undefined) return;
  const { stepsDone, stepsTotal, nodesReady, nodesTotal } = operation.progress;
  const errors = operation.errors.map((error) => error.message).join('; ');
  yield {
    type: 'text',
    text: say(
      language,
      `${cancel ? (outcome.structured?.alreadyEnded ? 'Nothing to cancel: ' : 'Cancelled: ') : ''}${operation.kind} of ${operation.mciName} (${operationId}) is ${operation.status}: steps ${stepsDone}/${stepsTotal}, nodes Running ${nodesReady}/${nodesTotal}${errors ? `; errors: ${errors}` : ''}.`,
      `${cancel ? (outcome.structured?.alreadyEnded ? '취소할 것 없음: ' : '취소됨: ') : ''}${operation.mciName}의 ${operation.kind} 작업(${operationId}) 상태 ${operation.status}: 단계 ${stepsDone}/${stepsTotal}, Running 노드 ${nodesReady}/${nodesTotal}${errors ? `; 오류: ${errors}` : ''}.`,
    ),
  };
}

/** listApps as a table. */
export async function* answerApps(turn: Turn): AsyncGenerator<AgentEvent, void> {
  const language = turn.language;
  const outcome = yield* turn.call('listApps', {});
  if (outcome.isError) {
    yield errorEvent(outcome);
    return;
  }
  const recipes =
    (outcome.structured?.recipes as
      | {
          name: string;
          title: string;
          requirements: { summary: string };
          parameters: { name: string; default: string }[];
        }[]
      | undefined) ?? [];
  yield {
    type: 'text',
    text: [
      say(language, 'Apps s2a can install:', 's2a가 설치할 수 있는 앱:'),
      '',
      table(
        language === 'ko' ? ['앱', '이름', '요구 사항', '매개변수'] : ['app', 'name', 'needs', 'parameters'],
        recipes.map((recipe) => [
          recipe.name,
          recipe.title,
          recipe.requirements.summary,
          recipe.parameters.map((parameter) => `${parameter.name}=${parameter.default}`).join(', '),
        ]),
      ),
    ].join('\n'),
  };
}

export function helpText(language: Language, greeting: boolean): string {
  if (language === 'ko')
    return [
      greeting ? '안녕하세요! ' : '',
      's2a는 한 문장으로 여러 클라우드(AWS, Azure, GCP, NCP 등 10개)에 인프라를 만들고 관리합니다. 무엇이든 만들기 전에 계획과 비용을 보여 드리고 한 번 확인받습니다.\n\n',
      '- 찾기: "서울 근처 제일 싼 A100 알려줘"\n',
      '- 견적: "프랑크푸르트에 H100 4대 한 달에 얼마야?"\n',
      '- 배포: "서울, 도쿄, 프랑크푸르트에 GPU VM 한 대씩, 제일 싼 걸로 띄우고 ollama 설치해줘"\n',
      '- 관리: "MCI 목록 보여줘", "그거 5대로 늘려줘", "그거 중지해줘", "그거 삭제해줘"\n',
      '- 명령: "demo에서 `nvidia-smi` 실행해줘", "demo에 nginx 설치해줘"',
    ].join('');
  return [
    greeting ? 'Hi! ' : '',
    's2a turns one sentence into infrastructure on ten clouds (AWS, Azure, GCP, NCP and more) and manages it. Before anything is created or destroyed, you see the plan and its price and approve it once.\n\n',
    '- Find: "cheapest A100 near Seoul"\n',
    '- Estimate: "how much are 4 H100 VMs in Frankfurt per month?"\n',
    '- Deploy: "deploy 3 VMs with a GPU, one each in Seoul, Tokyo and Frankfurt, cheapest, and install ollama"\n',
    '- Manage: "list my MCIs", "make it 5", "stop it", "delete it"\n',
    '- Commands and apps: "run `nvidia-smi` on demo", "install nginx on demo"',
  ].join('');
}
