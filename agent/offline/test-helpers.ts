/** Shared by the table-driven tests: contexts, and a flat view of an Understanding to match against. */
import type { ConversationContext, DeployIntent, SearchSpecsIntent, Understanding } from './intent.ts';
import { understand } from './understand.ts';

export type Expected = Record<string, unknown>;
export type Case = readonly [text: string, expected: Expected, context?: () => ConversationContext];

/** The intent's fields, plus `places`, `counts`, `distribution` and `injection`; or `clarify`: topic. */
export function view(understanding: Understanding): Record<string, unknown> {
  if (understanding.kind === 'clarify') {
    return {
      clarify: understanding.clarification.topic,
      question: understanding.clarification.question,
      options: understanding.clarification.options ?? [],
      partial: understanding.partial ?? {},
      injection: understanding.flags.injection,
      language: understanding.language,
    };
  }
  const intent = understanding.intent;
  const flat: Record<string, unknown> = {
    ...intent,
    injection: understanding.flags.injection,
    language: understanding.language,
  };
  if ('placement' in intent) {
    flat.places = intent.placement.places.map((place) => place.place.name);
    flat.counts = intent.placement.places.map((place) => place.count);
    flat.distribution = intent.placement.distribution;
    flat.near = intent.placement.near;
  }
  return flat;
}

function deployOf(text: string): DeployIntent {
  const understanding = understand(text);
  if (understanding.kind !== 'intent' || understanding.intent.kind !== 'deploy')
    throw new Error(`not a deploy: ${text}`);
  return understanding.intent;
}

function searchOf(text: string): SearchSpecsIntent {
  const understanding = understand(text);
  if (understanding.kind !== 'intent' || understanding.intent.kind !== 'searchSpecs')
    throw new Error(`not a search: ${text}`);
  return understanding.intent;
}

/** Three MCIs with descriptions; "demo" was the last one mentioned. */
export const withMcis = (): ConversationContext => ({
  lastMciName: 'demo',
  knownMcis: [
    { name: 'demo', apps: ['nginx'], providers: ['aws'], nodeGroups: ['web'], places: ['Seoul'] },
    {
      name: 'gpu-lab',
      apps: ['ollama'],
      hasGpu: true,
      providers: ['gcp'],
      nodeGroups: ['gpu'],
      places: ['Tokyo'],
    },
    {
      name: 'analytics',
      apps: ['jupyter', 'ray'],
      providers: ['azure'],
      nodeGroups: ['head', 'worker'],
      places: ['Frankfurt'],
    },
  ],
});

/** MCIs known, none mentioned yet. */
export const withMcisNoLast = (): ConversationContext => {
  const context = withMcis();
  delete context.lastMciName;
  return context;
};

/** A plan waiting for confirmation: 3 GPU VMs, one each in Seoul, Tokyo and Frankfurt, with ollama. */
export const withPendingPlan = (): ConversationContext => ({
  pendingPlan: deployOf('deploy 3 GPU VMs with ollama, one each in Seoul, Tokyo and Frankfurt, on AWS'),
});

/** A pending single-place plan: 2 VMs in Seoul. */
export const withSmallPlan = (): ConversationContext => ({
  pendingPlan: deployOf('deploy 2 VMs with 4 vCPU in Seoul'),
});

/** The last search: A100s in Tokyo. */
export const withLastSearch = (): ConversationContext => ({
  lastSearch: searchOf('find the cheapest A100 in Tokyo'),
});

/** The last MCI mentioned, nothing else known. */
export const withLast = (): ConversationContext => ({ lastMciName: 'demo' });
