/**
 * Read-only questions about specs and prices: searchSpecs per place (merged), and estimates that
 * choose specs as a deploy would and price them with estimateCost. Answers are compact tables.
 */
import type { SpecHitOutput } from '../../mcp-server/shapes.ts';
import type { AgentEvent } from '../types.ts';
import { chooseGroups, needsOf, relaxations, searchInput } from './act-deploy.ts';
import type { EstimateCostIntent, SearchSpecsIntent } from './intent.ts';
import { money, shapeOf, specTable, table } from './plan-view.ts';
import { errorEvent, say, type Turn } from './planner-turn.ts';

const DEFAULT_ROWS = 5;

export async function* answerSearch(turn: Turn, intent: SearchSpecsIntent): AsyncGenerator<AgentEvent, void> {
  const language = turn.language;
  const places = intent.placement.places;
  const limit = Math.min(intent.limit ?? (places.length > 1 ? 3 : DEFAULT_ROWS), 20);
  const budget = intent.budget?.usdPerHour;
  const rows: SpecHitOutput[] = [];
  const inputs = (places.length > 0 ? places : [undefined]).map((place) =>
    searchInput({
      requirements: intent.requirements,
      providers: intent.providers,
      preference: intent.sort,
      spot: intent.spot,
      limit,
      ...(place !== undefined ? { place } : {}),
      ...(budget !== undefined ? { maxPricePerHour: budget } : {}),
    }),
  );
  const outcomes = yield* turn.callAll(inputs.map((input) => ({ toolName: 'searchSpecs', input })));
  for (const outcome of outcomes) {
    if (outcome.isError) {
      yield errorEvent(outcome);
      return;
    }
    rows.push(...((outcome.structured?.results as SpecHitOutput[] | undefined) ?? []));
  }
  const lastInput = inputs.at(-1) ?? {};
  if (rows.length === 0) {
    const hints = yield* relaxations(turn, lastInput, places.length === 1 ? places[0] : undefined);
    yield {
      type: 'text',
      text: [
        say(language, 'No spec matches all of that.', '조건을 모두 만족하는 스펙이 없습니다.'),
        ...(hints.length > 0
          ? [say(language, 'Relaxing one of these finds some:', '다음 중 하나를 완화하면 찾을 수 있습니다:')]
          : []),
        ...hints.map((hint) => `- ${hint}`),
      ].join('\n'),
    };
    return;
  }
  const where =
    places.length > 0
      ? say(
          language,
          ` near ${places.map((place) => place.place.name).join(', ')}`,
          ` (${places.map((place) => place.place.name).join(', ')} 근처)`,
        )
      : '';
  const order = {
    cost: say(language, 'cheapest first', '싼 순'),
    performance: say(language, 'fastest first', '빠른 순'),
    distance: say(language, 'closest first', '가까운 순'),
    latency: say(language, 'lowest latency first', '지연 낮은 순'),
  }[intent.sort];
  yield {
    type: 'text',
    text: [
      say(language, `Specs${where}, ${order}:`, `스펙${where}, ${order}:`),
      '',
      specTable(rows, language, intent.spot),
      ...(intent.notes.length > 0 ? ['', ...intent.notes.map((note) => `- ${note}`)] : []),
      '',
      say(
        language,
        'To create some: "deploy 2 of the first one" or describe the nodes you want.',
        '만들려면: "첫 번째 걸로 2대 띄워줘"처럼 말씀해 주세요.',
      ),
    ].join('\n'),
  };
}

export async function* answerEstimate(
  turn: Turn,
  intent: EstimateCostIntent,
): AsyncGenerator<AgentEvent, void> {
  const language = turn.language;
  const needs = needsOf({ requirements: intent.requirements, apps: [] }, language);
  const chosen = yield* chooseGroups(turn, {
    needs,
    placement: intent.placement,
    providers: intent.providers,
    preference: 'cost',
    nodeCount: intent.nodeCount,
    defaultGroup: 'node',
  });
  if (chosen.kind === 'error') {
    yield errorEvent(chosen.outcome);
    return;
  }
  if (chosen.kind === 'none') {
    const hints = yield* relaxations(turn, chosen.input, chosen.place);
    yield {
      type: 'text',
      text: [
        say(
          language,
          'No spec meets every requirement, so there is nothing to price.',
          '조건에 맞는 스펙이 없어 견적을 낼 수 없습니다.',
        ),
        ...hints.map((hint) => `- ${hint}`),
      ].join('\n'),
    };
    return;
  }
  const outcome = yield* turn.call('estimateCost', {
    nodeGroups: chosen.groups.map((group) => ({
      specId: group.spec.specId,
      size: group.count,
      ...(intent.spot ? { spot: true } : {}),
    })),
  });
  if (outcome.isError) {
    yield errorEvent(outcome);
    return;
  }
  const estimate = outcome.structured as {
    groups: { specId: string; size: number; pricePerHour: number | null; pricePerMonth: number | null }[];
    totalPerHour: number;
    totalPerMonth: number;
    spotTotalPerHour: number | null;
    notes: string[];
  };
  const rows = chosen.groups.map((group, index) => {
    const priced = estimate.groups[index];
    return [
      group.spec.provider,
      group.spec.regionName,
      group.spec.name,
      shapeOf(group.spec),
      group.count,
      money(priced?.pricePerHour ?? null),
      money(priced?.pricePerMonth ?? null),
    ];
  });
  const headline =
    intent.period === 'month'
      ? say(
          language,
          `About ${money(estimate.totalPerMonth)} per month (${money(estimate.totalPerHour)}/h, 730 h):`,
          `한 달 약 ${money(estimate.totalPerMonth)} (${money(estimate.totalPerHour)}/h, 730시간 기준):`,
        )
      : say(
          language,
          `${money(estimate.totalPerHour)} per hour (about ${money(estimate.totalPerMonth)}/month):`,
          `시간당 ${money(estimate.totalPerHour)} (한 달 약 ${money(estimate.totalPerMonth)}):`,
        );
  yield {
    type: 'text',
    text: [
      headline,
      '',
      table(
        language === 'ko'
          ? ['클라우드', '리전', '스펙', '사양', '대수', '$/h', '$/월']
          : ['provider', 'region', 'spec', 'shape', 'count', '$/h', '$/month'],
        rows,
      ),
      ...[...intent.notes, ...chosen.notes, ...estimate.notes].map((note) => `- ${note}`),
      ...(estimate.spotTotalPerHour !== null && !intent.spot
        ? [
            say(
              language,
              `- On spot: ${money(estimate.spotTotalPerHour)}/h.`,
              `- 스팟이면 ${money(estimate.spotTotalPerHour)}/h.`,
            ),
          ]
        : []),
    ].join('\n'),
  };
}
