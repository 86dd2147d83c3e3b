/**
 * Which existing MCI a sentence is about: a name it writes, "it"/"그거" through the context, a
 * description that fits one known MCI ("the gpu cluster"), or a near spelling of one known name.
 * When none of these is safe, the caller asks.
 */
import type { ConversationContext, KnownMci, McisTarget } from './intent.ts';
import { type PreparedText, stripParticle, wordsOf } from './text.ts';
import { findApps, findProviders } from './vocabulary.ts';

export type TargetResult =
  | { kind: 'found'; target: McisTarget; notes: string[] }
  | { kind: 'ambiguous'; options: string[] }
  | { kind: 'unknown'; written: string; options: string[] }
  | { kind: 'all' }
  /** "web and db", "web이랑 db 둘 다": several known MCIs named together, for one change to all of them. */
  | { kind: 'several'; names: string[] }
  | { kind: 'none'; options: string[] };

export function knownMcis(context: ConversationContext): KnownMci[] | undefined {
  return context.knownMcis?.map((entry) => (typeof entry === 'string' ? { name: entry } : entry));
}

/** Words that are never an MCI name when written bare. */
const NOT_NAMES = new Set(
  `a an the my our your his her their its it this that these those them they one ones me us you i we please pls plz
  now right away again also too just then and or but to on in at of for from with by into onto up down off out over
  back all every everything each any some mci mcis cluster clusters vm vms node nodes server servers instance instances
  machine machines box boxes infra infrastructure group groups deployment deployments environment env stack
  stop start restart reboot resume suspend pause terminate kill delete remove destroy drop tear teardown nuke wipe
  scale resize grow shrink increase decrease reduce expand add install put run execute exec show list status state
  check describe get tell give make set use create deploy launch spin bring what whats which how is are was were
  be do does did can could would will should shall may might must there here where when who why status size
  command cmd shell script app apps gpu gpus cpu cpus memory ram disk spot more less bigger smaller new old same
  other another first last second whole entire completely permanently forever ok okay yes no not don't dont hey hi
  hello thanks thank go ahead let lets let's want need like am turn shut power bring take bump cut trim wake bounce
  nuke wipe kill boot halt hibernate unpause cycle details detail info information health healthy doing going
  running alive ready working cost costing much many does have has had there anything something
  double triple quadruple halve half twice times both actually maybe instead rather really`.split(/\s+/),
);

const PRONOUN =
  /\b(?:it|there|that\s+one|this\s+one|that|this|the\s+same\s+one|same\s+one|them|those)\b|그거|그것|이거|이것|저거|저것|걔|얘|방금\s*(?:만든|그|거)|아까\s*(?:만든|그|거)|거기|해당|그\s*(?:mci|클러스터|서버|vm|노드|인프라)/;

/** "the gpu cluster", "the jupyter one", "ollama 클러스터", "그 gpu 서버". */
const DEFINITE =
  /\b(?:the|my|our)\s+(?:[\w-]+\s+){0,3}?(?:cluster|one|mci|servers?|vms?|nodes?|machines?|boxes|box|infra|deployment|setup|environment|instances?)\b|클러스터|인프라|그\s*\S+\s*(?:mci|서버|vm|노드)|\S+\s*(?:쪽|있는\s*(?:거|것|mci|서버))/;

const ALL =
  /\b(?:all|every|everything)\b(?:\s+(?:of\s+)?(?:my|the|our)?\s*(?:mcis?|clusters?|vms?|servers?|nodes?|infra\w*|things?|resources?))?|\bboth\b|(?<![\d.])2\s*다(?![가-힣])|전부|모두|모든|싹\s*다|다\s+(?:삭제|지워|없애|꺼|중지)/;

/** Edit distance counting a swap of neighbours as one edit ("dmeo" → "demo"), stopping early past `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, index) => index)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const above = rows[i - 1] as number[];
      let value = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      row.push(value);
      rowMinimum = Math.min(rowMinimum, value);
    }
    if (rowMinimum > limit) return limit + 1;
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** Allowed spelling distance for a name of this length: none below 4 characters ("web" ≠ "wen"). */
function fuzzLimit(name: string): number {
  return name.length >= 8 ? 2 : name.length >= 4 ? 1 : 0;
}

/**
 * The candidates a sentence writes as names: identifier-like words (particles stripped), quoted
 * identifiers, in order; words that are verbs or nouns of the request are left out.
 */
export function nameCandidates(
  prepared: PreparedText,
  text: string,
  exclude: readonly string[] = [],
  /** Names of MCIs that exist: one of them is a name even when it is also a word ("gpu", "web"). */
  known: readonly string[] = [],
): string[] {
  const candidates: string[] = [];
  for (const quote of prepared.quotes) {
    if (/^[a-z][a-z0-9-]{0,39}$/.test(quote.text) && !exclude.includes(quote.text))
      candidates.push(quote.text);
  }
  for (const word of wordsOf(text)) {
    const stem = stripParticle(word.text.replace(/['’]s$/, ''));
    if (!/^[a-z][a-z0-9-]{0,39}$/.test(stem) || stem.endsWith('-')) continue;
    if ((NOT_NAMES.has(stem) && !known.includes(stem)) || exclude.includes(stem)) continue;
    candidates.push(stem);
  }
  return candidates;
}

/** Features of a description ("the gpu cluster", "ollama 클러스터", "the AWS one") a known MCI must all have. */
function describes(mci: KnownMci, text: string, excludeApps: readonly string[]): boolean | undefined {
  let features = 0;
  if (/\bgpus?\b|지피유|그래픽/.test(text)) {
    features += 1;
    if (mci.hasGpu !== true) return false;
  }
  for (const app of findApps(text)) {
    if (excludeApps.includes(app.name)) continue;
    features += 1;
    if (!(mci.apps ?? []).includes(app.name)) return false;
  }
  for (const mention of findProviders(text)) {
    features += 1;
    if (!(mci.providers ?? []).includes(mention.provider)) return false;
  }
  const nameParts = new Set([...mci.name.split('-'), ...(mci.nodeGroups ?? [])]);
  for (const word of wordsOf(text)) {
    const stem = stripParticle(word.text);
    if (stem.length >= 3 && !NOT_NAMES.has(stem) && nameParts.has(stem)) features += 1;
  }
  for (const place of mci.places ?? []) {
    if (place.length >= 2 && text.includes(place.toLowerCase())) features += 1;
  }
  return features === 0 ? undefined : true;
}

/**
 * The MCI `text` (the sentence with entities taken out) is about. `destructive` actions never accept
 * a fuzzy spelling without asking.
 */
export function resolveTarget(
  prepared: PreparedText,
  text: string,
  context: ConversationContext,
  options: {
    destructive: boolean;
    /** Words that are not names here (the command, the apps being installed). */
    exclude?: readonly string[];
    /** Nothing named: the last MCI mentioned (for "run uptime", not for "delete"). */
    implicit?: boolean;
  },
): TargetResult {
  const known = knownMcis(context);
  const knownNames = known?.map((mci) => mci.name) ?? [];
  const candidates = nameCandidates(prepared, text, options.exclude ?? [], knownNames);

  // 1. A known name, written out.
  const named = [...new Set(candidates.filter((candidate) => knownNames.includes(candidate)))];
  if (named.length === 1)
    return { kind: 'found', target: { name: named[0] as string, via: 'named' }, notes: [] };
  if (named.length > 1)
    return ALL.test(text) || /\b(?:and|both)\b|이랑|랑|하고|(?<=[a-z0-9])(?:와|과)\s/.test(text)
      ? { kind: 'several', names: named }
      : { kind: 'ambiguous', options: named };

  // 2. Every MCI at once: asked one at a time, unless there is only one ("tear everything down" after one deploy).
  if (ALL.test(text)) {
    const every = knownNames;
    if (every.length === 1)
      return { kind: 'found', target: { name: every[0] as string, via: 'context' }, notes: ['the only MCI'] };
    return { kind: 'all' };
  }

  // 3. "it", "that one", "그거".
  if (PRONOUN.test(text) && candidates.length === 0) {
    if (context.lastMciName !== undefined)
      return { kind: 'found', target: { name: context.lastMciName, via: 'context' }, notes: [] };
    return { kind: 'none', options: knownNames };
  }

  // 4. A near spelling of one known name.
  if (known !== undefined) {
    for (const candidate of candidates) {
      const close = knownNames.filter(
        (name) => distance(candidate, name, fuzzLimit(name)) <= fuzzLimit(name),
      );
      if (close.length === 1) {
        const name = close[0] as string;
        if (options.destructive) return { kind: 'ambiguous', options: [name] };
        return {
          kind: 'found',
          target: { name, via: 'fuzzy' },
          notes: [`"${candidate}" read as MCI "${name}"`],
        };
      }
      if (close.length > 1) return { kind: 'ambiguous', options: close };
    }
  }

  // 5. A definite description ("the gpu cluster", "ollama 클러스터") that fits exactly one known MCI.
  if (known !== undefined && known.length > 0 && DEFINITE.test(prepared.lower)) {
    const fitting = known.filter((mci) => describes(mci, prepared.lower, options.exclude ?? []) === true);
    if (fitting.length === 1) {
      const name = (fitting[0] as KnownMci).name;
      return {
        kind: 'found',
        target: { name, via: 'description' },
        notes: [`"${prepared.masked.trim().replace(/\s+/g, ' ')}" read as MCI "${name}"`],
      };
    }
    if (fitting.length > 1) return { kind: 'ambiguous', options: fitting.map((mci) => mci.name) };
  }

  // 6. A name the context cannot check.
  const written = candidates[0];
  if (written !== undefined) {
    if (known === undefined)
      return { kind: 'found', target: { name: written, via: 'unverified' }, notes: [] };
    return { kind: 'unknown', written, options: knownNames };
  }
  if (options.implicit === true && context.lastMciName !== undefined)
    return { kind: 'found', target: { name: context.lastMciName, via: 'context' }, notes: [] };
  // 7. Nothing named; "the cluster" with only one MCI in existence is that one.
  if (
    known !== undefined &&
    known.length === 1 &&
    /\b(?:the|my)\s+(?:mci|cluster|vms|servers|nodes|machines|infra)\b|클러스터|인프라/.test(text)
  ) {
    const name = (known[0] as KnownMci).name;
    return { kind: 'found', target: { name, via: 'description' }, notes: [`the only MCI, "${name}"`] };
  }
  return { kind: 'none', options: knownNames };
}
