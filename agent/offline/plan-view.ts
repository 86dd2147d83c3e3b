/**
 * Plans and answers as the person reads them: PlanViews for deploys and for changes to an existing
 * MCI, and the compact markdown tables of searches, in English or Korean. Pure functions: tests can
 * build them from data without a server.
 */
import type { SpecHitOutput } from '../../mcp-server/shapes.ts';
import type { PlanNodeGroup, PlanView } from '../types.ts';
import { type AppRequest, HOURS_PER_MONTH, type Language } from './intent.ts';
import { say } from './planner-turn.ts';

/** "$0.5260" below a dollar (cheap specs differ in the third decimal), "$12.34" above. */
export function money(usd: number | null): string {
  if (usd === null) return '?';
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

export function monthly(perHour: number): number {
  return Math.round(perHour * HOURS_PER_MONTH * 100) / 100;
}

/** "8 vCPU, 32 GiB, 1x A10G" */
export function shapeOf(spec: Pick<SpecHitOutput, 'vcpu' | 'memoryGiB' | 'gpu'>): string {
  const gpu = spec.gpu ? `, ${spec.gpu.count}x ${spec.gpu.model}` : '';
  return `${spec.vcpu} vCPU, ${spec.memoryGiB} GiB${gpu}`;
}

/** Table cells hold data from tools: a "|" or a line break must not change the table. */
export function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  return String(value)
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
}

export function table(
  header: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** A fence longer than any backtick run inside, so output shown as data cannot end it. */
export function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}text\n${text}\n${marks}`;
}

/** "Seoul, Tokyo and Frankfurt" / "Seoul, Tokyo, Frankfurt". */
export function listWords(words: readonly string[], language: Language): string {
  if (language === 'ko' || words.length < 2) return words.join(', ');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** The spec search results as a table: provider, region, spec, GPU, vCPU, memory, $/h, distance. */
export function specTable(results: readonly SpecHitOutput[], language: Language, spot = false): string {
  const header =
    language === 'ko'
      ? ['#', '클라우드', '리전', '스펙', 'GPU', 'vCPU', '메모리', spot ? '스팟 $/h' : '$/h', '거리']
      : ['#', 'provider', 'region', 'spec', 'GPU', 'vCPU', 'memory', spot ? 'spot $/h' : '$/h', 'distance'];
  return table(
    header,
    results.map((result, index) => [
      index + 1,
      result.provider,
      result.regionName,
      result.name,
      result.gpu ? `${result.gpu.count}x ${result.gpu.model}` : '-',
      result.vcpu,
      `${result.memoryGiB} GiB`,
      money(spot ? (result.spotPricePerHour ?? null) : result.pricePerHour),
      result.distanceKm === null ? '-' : `${result.distanceKm} km`,
    ]),
  );
}

/** One chosen node group of a deploy: where it goes, on which spec, how many, and why there. */
export interface ChosenGroup {
  group: string;
  spec: SpecHitOutput;
  count: number;
  /** The place the person named for it, when one was named ("Seoul"). */
  place?: string;
}

export function planGroups(groups: readonly ChosenGroup[]): PlanNodeGroup[] {
  return groups.map((chosen) => ({
    group: chosen.group,
    provider: chosen.spec.provider,
    regionId: chosen.spec.regionId,
    regionName: chosen.spec.regionName,
    specId: chosen.spec.specId,
    shape: shapeOf(chosen.spec),
    count: chosen.count,
    pricePerHour:
      chosen.spec.pricePerHour === null
        ? null
        : Math.round(chosen.spec.pricePerHour * chosen.count * 1e4) / 1e4,
  }));
}

function appWords(app: AppRequest): string {
  const parameters = Object.entries(app.parameters);
  if (parameters.length === 0) return app.name;
  return `${app.name} (${parameters.map(([name, value]) => `${name} ${value}`).join(', ')})`;
}

export interface DeployPlanInput {
  language: Language;
  mciName: string;
  groups: readonly ChosenGroup[];
  apps: readonly AppRequest[];
  gpu: boolean;
  /** From reviewMCI: the price it computed, and its risks. */
  pricePerHour: number;
  risks: readonly string[];
  notes: readonly string[];
}

export function deployPlanView(input: DeployPlanInput): PlanView {
  const { language, mciName, groups, apps } = input;
  const nodes = groups.reduce((sum, group) => sum + group.count, 0);
  const places = [...new Set(groups.map((group) => group.place ?? group.spec.regionName))];
  const providers = [...new Set(groups.map((group) => group.spec.provider))];
  const kind = input.gpu ? 'GPU ' : '';
  const title = say(
    language,
    `Create MCI ${mciName}: ${nodes} ${kind}node${nodes === 1 ? '' : 's'} in ${listWords(places, language)}${
      apps.length > 0
        ? ` with ${listWords(
            apps.map((app) => app.name),
            language,
          )}`
        : ''
    }`,
    `MCI ${mciName} 생성: ${places.join(', ')}에 ${kind}노드 ${nodes}대${apps.length > 0 ? `, ${apps.map((app) => app.name).join(', ')} 설치` : ''}`,
  );
  const steps: string[] = [];
  steps.push(
    say(
      language,
      `Create ${nodes} node${nodes === 1 ? '' : 's'} on ${providers.join(', ')} and wait until every node is Running:`,
      `${providers.join(', ')}에 노드 ${nodes}대를 만들고 모두 Running이 될 때까지 기다립니다:`,
    ),
  );
  for (const group of groups) {
    const near = group.place ? say(language, ` (for ${group.place})`, ` (${group.place})`) : '';
    steps.push(
      say(
        language,
        `  ${group.count} × ${group.spec.name} (${shapeOf(group.spec)}) in ${group.spec.regionName}${near}, ${money(group.spec.pricePerHour)}/h each`,
        `  ${group.spec.regionName}${near}에 ${group.spec.name} (${shapeOf(group.spec)}) ${group.count}대, 대당 ${money(group.spec.pricePerHour)}/h`,
      ),
    );
  }
  for (const app of apps)
    steps.push(
      say(
        language,
        `Install ${appWords(app)} on every node and check that it is healthy`,
        `모든 노드에 ${appWords(app)} 설치 후 정상 동작 확인`,
      ),
    );
  steps.push(
    say(language, 'Report the nodes, the endpoints and how to delete it', '노드, 접속 주소, 삭제 방법 안내'),
  );
  const pricePerHour = Math.round(input.pricePerHour * 1e4) / 1e4;
  return {
    title,
    steps,
    groups: planGroups(groups),
    pricePerHour,
    pricePerMonth: monthly(pricePerHour),
    risks: [...input.risks],
    notes: [...input.notes],
    destructive: false,
  };
}

/** A small plan for a change to an existing MCI (scale, control, delete, command, app). */
export function changePlanView(input: {
  title: string;
  steps: string[];
  groups?: PlanNodeGroup[];
  pricePerHour?: number;
  risks?: string[];
  notes?: string[];
  destructive: boolean;
}): PlanView {
  const pricePerHour = Math.round((input.pricePerHour ?? 0) * 1e4) / 1e4;
  return {
    title: input.title,
    steps: input.steps,
    groups: input.groups ?? [],
    pricePerHour,
    pricePerMonth: monthly(pricePerHour),
    risks: input.risks ?? [],
    notes: input.notes ?? [],
    destructive: input.destructive,
  };
}

/** The plan as markdown, for clients that show text only. */
export function planMarkdown(plan: PlanView, language: Language): string {
  const lines = [`**${plan.title}**`, ''];
  for (const [index, step] of plan.steps.entries())
    lines.push(step.startsWith('  ') ? `   - ${step.trim()}` : `${index + 1}. ${step}`);
  if (plan.pricePerHour > 0)
    lines.push(
      '',
      say(
        language,
        `Cost: ${money(plan.pricePerHour)}/h, about ${money(plan.pricePerMonth)}/month`,
        `비용: ${money(plan.pricePerHour)}/h, 한 달 약 ${money(plan.pricePerMonth)}`,
      ),
    );
  for (const risk of plan.risks) lines.push(say(language, `- Risk: ${risk}`, `- 위험: ${risk}`));
  for (const note of plan.notes) lines.push(say(language, `- Note: ${note}`, `- 참고: ${note}`));
  return lines.join('\n');
}
