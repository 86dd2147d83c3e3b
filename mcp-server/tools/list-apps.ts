import { z } from 'zod';
import { listRecipes } from '../../mci/apps/registry.ts';
import type { Recipe } from '../../mci/apps/schema.ts';
import { MciNameSchema } from '../../mci/model.ts';
import type { AppInstallRecord } from '../../mci/service.ts';
import { defineTool, READ_ONLY } from '../tool.ts';

const RecipeOutputSchema = z.object({
  name: z.string().describe('App name; pass it to installApp as app'),
  title: z.string().describe('Human name, e.g. "vLLM"'),
  description: z.string().describe('What it installs and serves'),
  requirements: z
    .object({
      gpu: z.boolean().describe('Needs an NVIDIA GPU'),
      gpuMinMemoryGiB: z
        .number()
        .nullable()
        .describe('Least memory of the largest GPU, GiB; null when any GPU does'),
      minMemoryGiB: z.number().nullable().describe('Least VM memory, GiB; null when any'),
      minVcpu: z.number().nullable().describe('Least vCPUs; null when any'),
      arch: z.array(z.string()).nullable().describe('CPU architectures it runs on; null when any'),
      summary: z.string().describe('The requirements in words, e.g. "NVIDIA GPU >= 16 GiB, 16 GiB memory"'),
    })
    .describe('What the nodes need; choose specs that meet it (searchSpecs gpu/minMemoryGiB/minVcpu)'),
  parameters: z
    .array(
      z.object({
        name: z.string().describe('Parameter name; pass it in installApp parameters'),
        description: z.string().describe('What it sets'),
        default: z.string().describe('Value used when none is given'),
      }),
    )
    .describe('Settings installApp accepts'),
  roles: z
    .array(
      z.object({
        name: z.string().describe('Role name, e.g. "head", "worker", "default"'),
        count: z.string().describe('"one": exactly one node; "rest": the other nodes; "all": every node'),
      }),
    )
    .describe('What the nodes do; a multi-role app needs at least one node per "one" role'),
  ports: z
    .array(
      z.object({
        port: z.number().int().describe('Port (first of a range)'),
        toPort: z.number().int().nullable().describe('Last port of a range; null for one port'),
        protocol: z.string().describe('tcp or udp'),
        public: z.boolean().describe('true: open to the internet; false: only between the MCI nodes'),
        description: z.string().describe('What listens there'),
      }),
    )
    .describe('Ports the install opens'),
  outputs: z
    .array(
      z.object({
        name: z.string().describe('Output name'),
        description: z.string().describe('What it is'),
        sensitive: z
          .boolean()
          .describe('A secret: stored sealed for the person; a tool shows only its reference'),
      }),
    )
    .describe('What an install reports per node (URLs, tokens)'),
  installMinutes: z
    .object({
      min: z.number().describe('Typical shortest install, minutes, before model downloads'),
      max: z.number().describe('Typical longest install, minutes, before model downloads'),
    })
    .describe('How long an install usually takes on a fresh VM'),
});

const InstalledAppOutputSchema = z.object({
  app: z.string().describe('App name'),
  ok: z.boolean().describe('Every node installed and healthy'),
  installedAt: z.string().describe('When the last install finished, ISO 8601'),
  parameters: z.record(z.string(), z.string()).describe('Parameters it was installed with'),
  nodes: z
    .array(
      z.object({
        nodeId: z.string().describe('Node name in the MCI, "<group>-<n>"'),
        role: z.string().describe('Role the node plays in the app'),
        installStatus: z.string().describe('installed, failed or skipped'),
        vmStatus: z
          .string()
          .nullable()
          .describe('The VM status now, e.g. "Running"; null when the node is gone'),
        endpoints: z
          .record(z.string(), z.string())
          .describe('Output name → value (URLs, model names); secrets are never here'),
        secrets: z
          .array(
            z.object({
              output: z.string().describe('Output name, e.g. "apiKey"'),
              reference: z
                .string()
                .describe('Where the sealed value is stored; only the person can reveal it, never a tool'),
            }),
          )
          .describe('Sensitive outputs by reference only'),
      }),
    )
    .describe('Per-node outcome'),
  failures: z
    .array(
      z.object({
        nodeId: z.string().nullable().describe('Node that failed; null when the whole install failed'),
        step: z.string().describe('Where it failed, e.g. "install", "health"'),
        message: z.string().describe('What went wrong'),
        nextStep: z.string().describe('What to do about it'),
      }),
    )
    .describe('Failures of the last install'),
});

function requirementsOf(recipe: Recipe) {
  const { gpu, minMemoryGiB, minVcpu, arch } = recipe.requirements;
  const gpuMinMemoryGiB = typeof gpu === 'object' ? gpu.minMemoryGiB : null;
  const words = [
    gpu ? `NVIDIA GPU${gpuMinMemoryGiB === null ? '' : ` >= ${gpuMinMemoryGiB} GiB`}` : undefined,
    minMemoryGiB === undefined ? undefined : `>= ${minMemoryGiB} GiB memory`,
    minVcpu === undefined ? undefined : `>= ${minVcpu} vCPU`,
    arch === undefined ? undefined : arch.join(' or '),
  ].filter((word) => word !== undefined);
  return {
    gpu: gpu !== undefined && gpu !== false,
    gpuMinMemoryGiB,
    minMemoryGiB: minMemoryGiB ?? null,
    minVcpu: minVcpu ?? null,
    arch: arch ?? null,
    summary: words.length > 0 ? words.join(', ') : 'any VM',
  };
}

function recipeOutput(recipe: Recipe): z.input<typeof RecipeOutputSchema> {
  const [low, high] = recipe.install.estimatedSeconds;
  return {
    name: recipe.name,
    title: recipe.title,
    description: recipe.description,
    requirements: requirementsOf(recipe),
    parameters: recipe.parameters.map((parameter) => ({
      name: parameter.name,
      description: parameter.description,
      default: parameter.default,
    })),
    roles: recipe.roles.map((role) => ({ name: role.name, count: role.count })),
    ports: recipe.ports.map((port) => ({
      port: port.port,
      toPort: port.toPort ?? null,
      protocol: port.protocol,
      public: port.public,
      description: port.description,
    })),
    outputs: recipe.outputs.map((output) => ({
      name: output.name,
      description: output.description,
      sensitive: output.sensitive,
    })),
    installMinutes: { min: Math.ceil(low / 60), max: Math.ceil(high / 60) },
  };
}

function installedOutput(
  record: AppInstallRecord,
  vmStatusOf: (nodeId: string) => string | null,
): z.input<typeof InstalledAppOutputSchema> {
  return {
    app: record.app,
    ok: record.ok,
    installedAt: record.installedAt,
    parameters: record.parameters,
    nodes: record.nodes.map((node) => ({
      nodeId: node.nodeId,
      role: node.role,
      installStatus: node.status,
      vmStatus: vmStatusOf(node.nodeId),
      endpoints: node.endpoints,
      // The record keeps references only; the values stay sealed in the store.
      secrets: Object.entries(node.sensitive).map(([output, reference]) => ({ output, reference })),
    })),
    failures: record.failures.map((failure) => ({
      nodeId: failure.nodeId,
      step: failure.step,
      message: failure.message,
      nextStep: failure.nextStep,
    })),
  };
}

export const listApps = defineTool({
  name: 'listApps',
  title: 'List apps: available recipes or those installed on an MCI',
  description:
    'Without mciName: the apps s2a can install (ollama, vllm, open-webui, nginx, docker, jupyter, ray, k3s, node-exporter) with what each needs (GPU, memory, vCPUs, architecture), its parameters and defaults, roles, ports and outputs. ' +
    'With mciName: the apps installed on that MCI, each with per-node install status, VM status and endpoints (URLs); secrets such as API keys appear only as references, never as values. ' +
    'Read-only. Use it to pick an app and specs that meet its requirements before reviewMCI/createMCI, or to report endpoints after installApp. Next: installApp with the app name and parameters; getMCI for node addresses.',
  input: z.object({
    mciName: MciNameSchema.optional().describe(
      'An MCI name (from listMCIs) to list the apps installed on it; omit to list the apps that can be installed',
    ),
  }),
  output: z.object({
    mciName: z.string().nullable().describe('The MCI listed; null when listing the available apps'),
    recipes: z
      .array(RecipeOutputSchema)
      .optional()
      .describe('The apps that can be installed (only without mciName)'),
    installed: z
      .array(InstalledAppOutputSchema)
      .optional()
      .describe('The apps installed on the MCI, last install of each (only with mciName)'),
    count: z.number().int().describe('How many recipes or installed apps are listed'),
  }),
  annotations: READ_ONLY,
  async handler(input, services) {
    if (input.mciName === undefined) {
      const recipes = listRecipes().map(recipeOutput);
      const lines = recipes.map(
        (recipe) =>
          `- ${recipe.name}: ${recipe.title}; needs ${recipe.requirements.summary}${recipe.parameters.length > 0 ? `; parameters ${recipe.parameters.map((parameter) => `${parameter.name}="${parameter.default}"`).join(', ')}` : ''}`,
      );
      return {
        structured: { mciName: null, recipes, count: recipes.length },
        text: [`${recipes.length} apps can be installed:`, ...lines].join('\n'),
      };
    }
    const mci = await services.mci();
    // Unknown MCI: MCI_NOT_FOUND, whose next step points at listMCIs.
    const view = await mci.engine.getMci(input.mciName);
    const statusByNode = new Map(view.nodes.map((node) => [node.name, node.status]));
    const installed = (await mci.listApps(input.mciName)).map((record) =>
      installedOutput(record, (nodeId) => statusByNode.get(nodeId) ?? null),
    );
    const lines = installed.map((app) => {
      const installedNodes = app.nodes.filter((node) => node.installStatus === 'installed').length;
      const endpoints = app.nodes.flatMap((node) =>
        Object.entries(node.endpoints).map(([name, value]) => `${node.nodeId} ${name} ${value}`),
      );
      return `- ${app.app}: ${app.ok ? 'ok' : 'not ok'}, ${installedNodes}/${app.nodes.length} nodes installed${endpoints.length > 0 ? `; ${endpoints.slice(0, 6).join('; ')}` : ''}`;
    });
    return {
      structured: { mciName: input.mciName, installed, count: installed.length },
      text:
        installed.length === 0
          ? `No app is installed on ${input.mciName}; listApps without mciName shows what installApp can install.`
          : [`${installed.length} app(s) on ${input.mciName} (${view.status}):`, ...lines].join('\n'),
    };
  },
});
