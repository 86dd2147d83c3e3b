import { z } from 'zod';

/**
 * App recipes as data. A recipe says what an app needs (GPU, memory, vCPUs, architecture), which
 * parameters it takes (each with a pattern that keeps values shell-safe), the roles its nodes play,
 * an install script per role, the ports it opens, how to tell it is healthy, and the endpoints it
 * offers. Scripts and templates use `{{name}}` placeholders (see render.ts for the names).
 */

export const ROLE_NAMES = ['default', 'head', 'worker', 'server', 'agent'] as const;
export const RoleNameSchema = z.enum(ROLE_NAMES);
export type RoleName = z.infer<typeof RoleNameSchema>;

/**
 * Characters any parameter value or script output may contain, whatever its own pattern says:
 * no spaces, quotes, `$`, `;`, `|`, `&`, backquotes, parentheses, redirections or newlines.
 */
export const SAFE_VALUE = /^[A-Za-z0-9._:/@%+=,~-]*$/;

const IDENTIFIER = /^[a-z][a-zA-Z0-9]*$/;

const PatternSchema = z
  .string()
  .min(1)
  .refine((pattern) => {
    try {
      new RegExp(pattern);
      return true;
    } catch {
      return false;
    }
  }, 'not a valid regular expression')
  .describe('Regular expression a value must match in full (it is anchored when used)');

/** The pattern, anchored: `^(?:pattern)$`. */
export function anchored(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

export const ParameterSchema = z.object({
  name: z.string().regex(IDENTIFIER, 'camelCase identifier'),
  description: z.string().min(1),
  default: z.string().describe('Used when the caller gives no value'),
  pattern: PatternSchema,
  isModel: z
    .boolean()
    .default(false)
    .describe('The value names a model the script downloads (the sim adds download time by its size)'),
});
export type RecipeParameter = z.infer<typeof ParameterSchema>;

export const RoleSchema = z.object({
  name: RoleNameSchema,
  count: z
    .enum(['one', 'rest', 'all'])
    .describe('"one": exactly one node; "rest": every node not given another role; "all": every node'),
});
export type RecipeRole = z.infer<typeof RoleSchema>;

export const RequirementsSchema = z.object({
  gpu: z
    .union([z.boolean(), z.object({ minMemoryGiB: z.number().positive() })])
    .optional()
    .describe('true: an NVIDIA GPU; with minMemoryGiB: the largest GPU has at least that much memory'),
  minMemoryGiB: z.number().positive().optional(),
  minVcpu: z.number().int().positive().optional(),
  arch: z
    .array(z.enum(['x86_64', 'arm64']))
    .min(1)
    .optional(),
});
export type Requirements = z.infer<typeof RequirementsSchema>;

export const PortSchema = z
  .object({
    port: z.number().int().min(1).max(65535),
    toPort: z.number().int().min(1).max(65535).optional().describe('Last port of a range'),
    protocol: z.enum(['tcp', 'udp']).default('tcp'),
    description: z.string().min(1),
    public: z
      .boolean()
      .describe(
        'true: open to the internet; false: only between the MCI nodes (private networks and their public IPs)',
      ),
    roles: z.array(RoleNameSchema).optional().describe('Nodes of these roles open it; all roles when absent'),
  })
  .refine((port) => port.toPort === undefined || port.toPort >= port.port, 'toPort must be >= port');
export type RecipePort = z.infer<typeof PortSchema>;

const HealthCommon = {
  roles: z
    .array(RoleNameSchema)
    .optional()
    .describe('Nodes of these roles are checked; all roles when absent'),
  timeoutSeconds: z.number().int().positive().default(300).describe('How long to wait for health'),
};

export const HealthSchema = z.union([
  z.object({
    http: z.object({
      port: z.number().int().min(1).max(65535),
      path: z.string().startsWith('/'),
      expectStatus: z.number().int().min(100).max(599).default(200),
    }),
    ...HealthCommon,
  }),
  z.object({ tcp: z.object({ port: z.number().int().min(1).max(65535) }), ...HealthCommon }),
]);
export type HealthCheck = z.infer<typeof HealthSchema>;

export const ScriptOutputSchema = z.object({
  name: z.string().regex(IDENTIFIER, 'camelCase identifier'),
  role: RoleNameSchema.describe('The role whose script prints it'),
  description: z.string().min(1),
  pattern: PatternSchema.describe('Values not matching it are refused (they flow into other scripts)'),
  example: z
    .string()
    .min(1)
    .describe('A value like the real one, matching the pattern (docs; the sim prints one like it)'),
  sensitive: z.boolean().default(false).describe('A secret: never logged, never shown to a model'),
});
export type ScriptOutput = z.infer<typeof ScriptOutputSchema>;

export const OutputSchema = z.object({
  name: z.string().regex(IDENTIFIER, 'camelCase identifier'),
  description: z.string().min(1),
  template: z.string().min(1).describe('e.g. "http://{{host}}:11434"'),
  roles: z.array(RoleNameSchema).optional().describe('Nodes of these roles offer it; all roles when absent'),
  sensitive: z
    .boolean()
    .default(false)
    .describe('Holds a secret (a token in a URL): kept apart from endpoints'),
});
export type RecipeOutput = z.infer<typeof OutputSchema>;

export const InstallSchema = z.object({
  scripts: z.partialRecord(RoleNameSchema, z.string().min(1)).describe('bash, run as root, per role'),
  estimatedSeconds: z
    .tuple([z.number().positive(), z.number().positive()])
    .describe('Typical [min, max] install time on a fresh VM, without model downloads (the sim uses it)'),
  timeoutSeconds: z.number().int().positive().describe('Stop an install running longer than this'),
});

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)?)\s*\}\}/g;

/** Placeholder names used in a template, e.g. ["model", "head.address"]. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] as string);
}

export { PLACEHOLDER };

/** Names every script and output template may use, besides parameters. */
export const NODE_VARIABLES = ['publicIp', 'privateIp', 'host', 'nodeId', 'role', 'app'] as const;
/** Names `{{<role>.<name>}}` may use for a role with count "one", besides its script outputs. */
export const ROLE_VARIABLES = ['publicIp', 'privateIp', 'address', 'host', 'nodeId'] as const;

export const RecipeSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'lower-case letters, digits and "-"'),
    title: z.string().min(1),
    description: z.string().min(1),
    requirements: RequirementsSchema.default({}),
    parameters: z.array(ParameterSchema).default([]),
    roles: z.array(RoleSchema).min(1),
    sameNetwork: z
      .boolean()
      .default(false)
      .describe('All nodes must share one private network (the app joins nodes by private IP only)'),
    install: InstallSchema,
    ports: z.array(PortSchema).default([]),
    health: HealthSchema.nullable().describe('null: a successful install script is the health check'),
    scriptOutputs: z.array(ScriptOutputSchema).default([]),
    outputs: z.array(OutputSchema).default([]),
    diagnostics: z
      .string()
      .min(1)
      .describe('A command that shows why the app is unhealthy (systemctl status …)'),
  })
  .superRefine((recipe, context) => {
    const issue = (message: string, path: (string | number)[]) =>
      context.addIssue({ code: 'custom', message, path });
    const roleNames = recipe.roles.map((role) => role.name);
    if (new Set(roleNames).size !== roleNames.length) issue('role names repeat', ['roles']);
    const hasAll = recipe.roles.some((role) => role.count === 'all');
    if (hasAll && recipe.roles.length > 1) issue('a role with count "all" must be the only role', ['roles']);
    if (recipe.roles.filter((role) => role.count === 'rest').length > 1)
      issue('at most one role has count "rest"', ['roles']);
    const firstRest = recipe.roles.findIndex((role) => role.count === 'rest');
    if (firstRest >= 0 && firstRest !== recipe.roles.length - 1)
      issue('the "rest" role comes last', ['roles']);
    for (const role of roleNames) {
      if (!recipe.install.scripts[role])
        issue(`no install script for role "${role}"`, ['install', 'scripts', role]);
    }
    for (const role of Object.keys(recipe.install.scripts)) {
      if (!roleNames.includes(role as RoleName))
        issue(`script for unknown role "${role}"`, ['install', 'scripts', role]);
    }
    const [low, high] = recipe.install.estimatedSeconds;
    if (low > high) issue('estimatedSeconds must be [min, max]', ['install', 'estimatedSeconds']);

    const parameterNames = new Set<string>();
    recipe.parameters.forEach((parameter, index) => {
      if (parameterNames.has(parameter.name))
        issue(`parameter "${parameter.name}" repeats`, ['parameters', index]);
      parameterNames.add(parameter.name);
      if (
        (NODE_VARIABLES as readonly string[]).includes(parameter.name) ||
        roleNames.includes(parameter.name as RoleName)
      ) {
        issue(`parameter name "${parameter.name}" is reserved`, ['parameters', index, 'name']);
      }
      if (!anchored(parameter.pattern).test(parameter.default) || !SAFE_VALUE.test(parameter.default)) {
        issue(`default "${parameter.default}" does not match the pattern`, ['parameters', index, 'default']);
      }
    });
    const oneRoles = new Set(recipe.roles.filter((role) => role.count === 'one').map((role) => role.name));
    for (const [index, output] of recipe.scriptOutputs.entries()) {
      if (!roleNames.includes(output.role))
        issue(`unknown role "${output.role}"`, ['scriptOutputs', index, 'role']);
      if (!anchored(output.pattern).test(output.example) || !SAFE_VALUE.test(output.example)) {
        issue(`example "${output.example}" does not match the pattern`, ['scriptOutputs', index, 'example']);
      }
    }
    const roleRank = new Map(roleNames.map((name, index) => [name, index]));
    const known = (name: string, forRole: RoleName | undefined, template: 'script' | 'output'): boolean => {
      if (parameterNames.has(name) || (NODE_VARIABLES as readonly string[]).includes(name)) return true;
      const [scope, field] = name.split('.');
      if (field === undefined) {
        // An output template may use the script outputs of the node's own role.
        return (
          template === 'output' &&
          recipe.scriptOutputs.some(
            (output) => output.name === name && (forRole === undefined || output.role === forRole),
          )
        );
      }
      if (!oneRoles.has(scope as RoleName)) return false;
      // A script may only use the outputs of roles installed before its own.
      if (
        template === 'script' &&
        forRole !== undefined &&
        (roleRank.get(scope as RoleName) ?? 0) >= (roleRank.get(forRole) ?? 0)
      ) {
        return false;
      }
      return (
        (ROLE_VARIABLES as readonly string[]).includes(field) ||
        recipe.scriptOutputs.some((output) => output.role === scope && output.name === field)
      );
    };
    for (const [role, script] of Object.entries(recipe.install.scripts)) {
      for (const name of placeholdersOf(script ?? '')) {
        if (!known(name, role as RoleName, 'script')) {
          issue(`script for "${role}" uses unknown placeholder {{${name}}}`, ['install', 'scripts', role]);
        }
      }
    }
    recipe.outputs.forEach((output, index) => {
      const roles = output.roles ?? roleNames;
      for (const name of placeholdersOf(output.template)) {
        if (!roles.every((role) => known(name, role, 'output'))) {
          issue(`output "${output.name}" uses unknown placeholder {{${name}}}`, [
            'outputs',
            index,
            'template',
          ]);
        }
      }
    });
    for (const [index, port] of recipe.ports.entries()) {
      for (const role of port.roles ?? []) {
        if (!roleNames.includes(role)) issue(`unknown role "${role}"`, ['ports', index, 'roles']);
      }
    }
    if (recipe.health) {
      for (const role of recipe.health.roles ?? []) {
        if (!roleNames.includes(role)) issue(`unknown role "${role}"`, ['health', 'roles']);
      }
      const healthPort = 'http' in recipe.health ? recipe.health.http.port : recipe.health.tcp.port;
      const covered = recipe.ports.some(
        (port) => healthPort >= port.port && healthPort <= (port.toPort ?? port.port) && port.public,
      );
      if (!covered) issue(`health port ${healthPort} is not among the public ports`, ['health']);
    }
  });

export type RecipeInput = z.input<typeof RecipeSchema>;
export type Recipe = z.output<typeof RecipeSchema>;

/** Validates a recipe; throws an Error listing every problem. */
export function parseRecipe(input: unknown): Recipe {
  const result = RecipeSchema.safeParse(input);
  if (!result.success) {
    const name = (input as { name?: unknown } | null)?.name;
    throw new Error(
      `recipe ${typeof name === 'string' ? `"${name}"` : ''} is invalid:\n${z.prettifyError(result.error)}`,
    );
  }
  return result.data;
}
