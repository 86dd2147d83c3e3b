/**
 * After the approval: the approved calls run in order with confirm: true and wait: true, progress is
 * forwarded, and the turn ends with a summary of what exists (nodes per region, status, endpoints,
 * how to delete it) or with the error and its next step. Tool output is shown as data only.
 */
import type { ToolCallOutcome } from '../tool-client.ts';
import type { AgentEvent, PendingAction } from '../types.ts';
import type { Language } from './intent.ts';
import { money, table } from './plan-view.ts';
import { errorEvent, say, type Turn } from './planner-turn.ts';
import { catalogRegions } from './vocabulary.ts';

/** getMCI's structured output, the fields the summary reads. */
export interface MciDetails {
  name: string;
  status: string;
  state: string;
  nodes: {
    name: string;
    group: string;
    provider: string;
    regionId: string;
    specId: string;
    gpu: string | null;
    pricePerHour: number | null;
    status: string;
    publicIp: string | null;
  }[];
  apps: {
    app: string;
    ok: boolean;
    parameters: Record<string, string>;
    nodes: { node: string; status: string; endpoints: Record<string, string> }[];
  }[];
  pricePerHour: number;
  pricePerMonth: number;
}

interface OperationOutput {
  operationId: string;
  status: string;
  errors: { code: string; message: string }[];
}

export function approvedInput(action: PendingAction): Record<string, unknown> {
  return { ...action.input, confirm: true, wait: true };
}

let regionNames: Map<string, string> | undefined;

/** "gcp+asia-northeast3" → "South Korea (Seoul)", from the catalog's regions. */
export function regionName(regionId: string, known: Record<string, string> = {}): string {
  regionNames ??= new Map(catalogRegions().map((region) => [region.id, region.displayName]));
  return known[regionId] ?? regionNames.get(regionId) ?? regionId;
}

/** Endpoints worth a link: URL values of installed apps, on nodes that still exist. */
export function endpointsOf(mci: MciDetails): { name: string; url: string }[] {
  const endpoints: { name: string; url: string }[] = [];
  const present = new Set(mci.nodes.filter((node) => node.status !== 'Terminated').map((node) => node.name));
  for (const app of mci.apps)
    for (const node of app.nodes.filter((entry) => present.has(entry.node)))
      for (const [output, value] of Object.entries(node.endpoints))
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
          endpoints.push({ name: `${node.node} ${app.app} ${output}`, url: value });
  return endpoints;
}

/** What exists now: status, nodes per region, apps and their health, endpoints, how to delete it. */
export function mciSummaryText(
  mci: MciDetails,
  language: Language,
  names: Record<string, string> = {},
): string {
  const live = mci.nodes.filter((node) => node.status !== 'Terminated');
  const perRegion = new Map<string, number>();
  for (const node of live) perRegion.set(node.regionId, (perRegion.get(node.regionId) ?? 0) + 1);
  const where = [...perRegion.entries()]
    .map(([regionId, count]) => `${count} × ${regionName(regionId, names)}`)
    .join(', ');
  const lines = [
    say(
      language,
      `MCI **${mci.name}** is ${mci.status}: ${live.length} node${live.length === 1 ? '' : 's'} (${where || 'none'}), ${money(mci.pricePerHour)}/h (${money(mci.pricePerMonth)}/month).`,
      `MCI **${mci.name}** 상태 ${mci.status}: 노드 ${live.length}대 (${where || '없음'}), ${money(mci.pricePerHour)}/h (한 달 ${money(mci.pricePerMonth)}).`,
    ),
    '',
    table(
      language === 'ko'
        ? ['노드', '리전', '스펙', 'GPU', '상태', '공인 IP']
        : ['node', 'region', 'spec', 'GPU', 'status', 'public IP'],
      mci.nodes.map((node) => [
        node.name,
        regionName(node.regionId, names),
        node.specId.split('+').slice(2).join('+'),
        node.gpu,
        node.status,
        node.publicIp,
      ]),
    ),
  ];
  const present = new Set(live.map((node) => node.name));
  for (const app of mci.apps) {
    const nodes = app.nodes.filter((node) => present.has(node.node));
    if (nodes.length === 0) continue;
    const healthy = nodes.filter((node) => node.status === 'installed').length;
    lines.push(
      '',
      say(
        language,
        `${app.app}: ${app.ok ? 'installed and healthy' : 'finished with failures'} on ${healthy}/${nodes.length} nodes.`,
        `${app.app}: ${nodes.length}대 중 ${healthy}대 ${app.ok ? '설치 및 정상 동작 확인' : '설치, 일부 실패'}.`,
      ),
    );
  }
  const endpoints = endpointsOf(mci);
  if (endpoints.length > 0) {
    lines.push('', say(language, 'Endpoints:', '접속 주소:'));
    for (const endpoint of endpoints) lines.push(`- ${endpoint.name}: ${endpoint.url}`);
  }
  lines.push('', say(language, `To delete it: "delete ${mci.name}".`, `삭제하려면: "${mci.name} 삭제해줘".`));
  return lines.join('\n');
}

export async function* fetchMci(
  turn: Turn,
  name: string,
): AsyncGenerator<AgentEvent, MciDetails | undefined> {
  const outcome = yield* turn.call('getMCI', { name });
  return outcome.isError ? undefined : (outcome.structured as unknown as MciDetails);
}

function failureText(outcome: ToolCallOutcome): string {
  const operation = outcome.structured?.operation as OperationOutput | undefined;
  return operation?.errors.map((error) => error.message).join('; ') || operation?.status || outcome.text;
}

/** Runs an approved deploy: createMCI, then each installApp, then the summary. */
export async function* executeDeploy(
  turn: Turn,
  mciName: string,
  actions: readonly PendingAction[],
  regionNames: Record<string, string>,
): AsyncGenerator<AgentEvent, { created: boolean; operationId?: string }> {
  const language = turn.language;
  let created = false;
  let operationId: string | undefined;
  for (const action of actions) {
    const outcome = yield* turn.call(action.toolName, approvedInput(action), { progress: true });
    if (action.toolName === 'createMCI') {
      const operation = outcome.structured?.operation as OperationOutput | undefined;
      operationId = operation?.operationId;
      if (outcome.isError || operation?.status !== 'succeeded') {
        // Whatever the error, what matters next is whether anything is left behind.
        turn.forgetMcis();
        const left = (yield* turn.mcis()).some((mci) => mci.name === mciName);
        if (outcome.isError) yield errorEvent(outcome);
        const reason = outcome.isError ? (outcome.error?.message ?? outcome.text) : failureText(outcome);
        const next = outcome.isError ? outcome.error?.next : undefined;
        yield {
          type: 'text',
          text: left
            ? say(
                language,
                `Creating ${mciName} did not finish (${operation?.status ?? 'failed'}): ${reason}. Part of it exists; to remove it: "delete ${mciName}".`,
                `${mciName} 생성이 끝나지 않았습니다 (${operation?.status ?? 'failed'}): ${reason}. 일부가 남아 있습니다. 지우려면: "${mciName} 삭제해줘".`,
              )
            : say(
                language,
                `Creating ${mciName} failed: ${reason}. ${operation?.status === 'rolled-back' ? 'It was rolled back: nothing is left and nothing is billed.' : 'Nothing was created.'}${next ? ` Next: ${next}` : ''}`,
                `${mciName} 생성 실패: ${reason}. ${operation?.status === 'rolled-back' ? '롤백되어 남은 리소스도 비용도 없습니다.' : '아무것도 만들어지지 않았습니다.'}${next ? ` 다음 단계: ${next}` : ''}`,
              ),
        };
        if (!left) return { created: false, ...(operationId ? { operationId } : {}) };
        created = true;
        break;
      }
      created = true;
      continue;
    }
    // installApp (and anything after the create): report and go on, the MCI exists either way.
    if (outcome.isError) {
      yield errorEvent(outcome);
      continue;
    }
    const result = outcome.structured?.result as
      | { ok: boolean; failures: { node: string | null; message: string; next: string }[] }
      | null
      | undefined;
    if (result && !result.ok)
      yield {
        type: 'text',
        text: [
          say(
            language,
            `${String(action.input.app)} did not install everywhere:`,
            `${String(action.input.app)} 설치가 일부 노드에서 실패했습니다:`,
          ),
          ...result.failures.map(
            (failure) => `- ${failure.node ?? '*'}: ${failure.message} (${failure.next})`,
          ),
        ].join('\n'),
      };
  }
  const mci = yield* fetchMci(turn, mciName);
  if (mci !== undefined)
    yield {
      type: 'summary',
      text: mciSummaryText(mci, language, regionNames),
      endpoints: endpointsOf(mci),
      mciName,
    };
  return { created, ...(operationId ? { operationId } : {}) };
}
