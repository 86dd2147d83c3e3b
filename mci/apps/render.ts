import { library, preflight } from './prelude.ts';
import {
  anchored,
  type NODE_VARIABLES,
  PLACEHOLDER,
  placeholdersOf,
  type Recipe,
  type RecipeOutput,
  type RoleName,
  SAFE_VALUE,
} from './schema.ts';

/**
 * Rendering recipes: parameter values checked against their patterns, `{{placeholders}}` filled
 * in, and the s2a header + helper library + preflight put in front of the recipe's script.
 *
 * Placeholders:
 * - parameters by name: `{{model}}`
 * - the node being installed: `{{publicIp}}`, `{{privateIp}}`, `{{host}}` (the address s2a reaches
 *   it at), `{{nodeId}}`, `{{role}}`, `{{app}}`
 * - a role with count "one", installed earlier: `{{head.privateIp}}`, `{{head.publicIp}}`,
 *   `{{head.host}}`, `{{head.nodeId}}`, `{{head.address}}` (its private IP when both nodes share a
 *   network, its public IP otherwise) and its script outputs, e.g. `{{server.token}}`
 * - in output templates, the node's own script outputs: `{{token}}`
 *
 * Every value put into a script matches its pattern and `SAFE_VALUE` (no spaces, quotes, `$`,
 * `;`, `|`, `&`, backquotes…), so a value cannot break out into shell syntax.
 */

/** A node as rendering sees it. */
export interface RenderNode {
  nodeId: string;
  role: RoleName;
  publicIp: string | null;
  privateIp: string | null;
  /** The address s2a connects to (SSH, health checks). */
  host: string;
  /** The private network the node is in (vNet id), when known: decides `{{<role>.address}}`. */
  network?: string;
}

/** What an installed role with count "one" offers the roles after it. */
export interface RoleFacts {
  node: RenderNode;
  /** Values its script printed as `s2a-output: name=value`. */
  outputs: Record<string, string>;
}

export class RecipeParameterError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
    this.name = 'RecipeParameterError';
  }
}

/** Parameter values with defaults filled in; throws RecipeParameterError for unknown names or bad values. */
export function resolveParameters(
  recipe: Recipe,
  given: Readonly<Record<string, string | undefined>> = {},
): Record<string, string> {
  const known = new Map(recipe.parameters.map((parameter) => [parameter.name, parameter]));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) {
      const names = recipe.parameters.map((parameter) => parameter.name).join(', ') || 'none';
      throw new RecipeParameterError(
        name,
        `${recipe.name} has no parameter "${name}" (its parameters: ${names})`,
      );
    }
  }
  const values: Record<string, string> = {};
  for (const parameter of recipe.parameters) {
    const value = given[parameter.name] ?? parameter.default;
    if (typeof value !== 'string' || !anchored(parameter.pattern).test(value) || !SAFE_VALUE.test(value)) {
      throw new RecipeParameterError(
        parameter.name,
        `${recipe.name} parameter "${parameter.name}" = ${JSON.stringify(value)} is refused: it must match ${parameter.pattern} (${parameter.description}). Values cannot contain spaces, quotes or shell characters.`,
      );
    }
    values[parameter.name] = value;
  }
  return values;
}

function safe(name: string, value: string | null | undefined, context: string): string {
  if (value === null || value === undefined) {
    throw new Error(`${context}: {{${name}}} has no value`);
  }
  if (!SAFE_VALUE.test(value)) {
    throw new Error(
      `${context}: the value of {{${name}}} contains characters that are not allowed in scripts`,
    );
  }
  return value;
}

function nodeVariables(
  recipe: Recipe,
  node: RenderNode,
): Record<(typeof NODE_VARIABLES)[number], string | null> {
  return {
    publicIp: node.publicIp ?? node.privateIp ?? node.host,
    privateIp: node.privateIp ?? node.host,
    host: node.host,
    nodeId: node.nodeId,
    role: node.role,
    app: recipe.name,
  };
}

/** How `from` reaches `to`: private IP inside one network, public IP across networks. */
export function addressBetween(
  from: RenderNode,
  to: RenderNode,
  sameNetworkRequired: boolean,
): string | null {
  const shareNetwork = from.network !== undefined && from.network === to.network;
  if (shareNetwork || sameNetworkRequired) return to.privateIp ?? to.host;
  return to.publicIp ?? to.privateIp ?? to.host;
}

function lookup(
  recipe: Recipe,
  name: string,
  node: RenderNode,
  parameters: Record<string, string>,
  roles: Partial<Record<RoleName, RoleFacts>>,
  ownOutputs: Record<string, string>,
): string | null | undefined {
  if (name in parameters) return parameters[name];
  const variables = nodeVariables(recipe, node);
  if (name in variables) return variables[name as keyof typeof variables];
  const [scope, field] = name.split('.');
  if (field === undefined) return ownOutputs[name];
  const facts = roles[scope as RoleName];
  if (!facts) return undefined;
  switch (field) {
    case 'address':
      return addressBetween(node, facts.node, recipe.sameNetwork);
    case 'publicIp':
    case 'privateIp':
    case 'host':
      return nodeVariables(recipe, facts.node)[field];
    case 'nodeId':
      return facts.node.nodeId;
    default:
      return facts.outputs[field];
  }
}

function fill(
  recipe: Recipe,
  template: string,
  node: RenderNode,
  parameters: Record<string, string>,
  roles: Partial<Record<RoleName, RoleFacts>>,
  ownOutputs: Record<string, string>,
  context: string,
): string {
  return template.replace(PLACEHOLDER, (_match, name: string) =>
    safe(name, lookup(recipe, name, node, parameters, roles, ownOutputs), context),
  );
}

const HEADER_APP = '# s2a-app: ';
const HEADER_ROLE = '# s2a-role: ';
const HEADER_PARAMETERS = '# s2a-parameters: ';

/** What the first lines of a rendered script say (the sim's shell reads them). */
export interface ScriptHeader {
  app: string;
  role: RoleName;
  parameters: Record<string, string>;
}

export function scriptHeader(header: ScriptHeader): string {
  return [
    '#!/usr/bin/env bash',
    `${HEADER_APP}${header.app}`,
    `${HEADER_ROLE}${header.role}`,
    `${HEADER_PARAMETERS}${JSON.stringify(header.parameters)}`,
  ].join('\n');
}

/** Reads the s2a header of a script; undefined when it has none. */
export function parseScriptHeader(script: string): ScriptHeader | undefined {
  const lines = script.split('\n', 12);
  const find = (prefix: string) =>
    lines
      .find((line) => line.startsWith(prefix))
      ?.slice(prefix.length)
      .trim();
  const app = find(HEADER_APP);
  if (!app) return undefined;
  let parameters: Record<string, string> = {};
  try {
    const parsed: unknown = JSON.parse(find(HEADER_PARAMETERS) ?? '{}');
    if (parsed && typeof parsed === 'object') parameters = parsed as Record<string, string>;
  } catch {
    parameters = {};
  }
  return { app, role: (find(HEADER_ROLE) ?? 'default') as RoleName, parameters };
}

/**
 * The install script of `node`'s role: header, helper library, preflight, then the recipe's script
 * with its placeholders filled. `roles` holds the roles installed before (their node and outputs).
 */
export function renderInstallScript(
  recipe: Recipe,
  node: RenderNode,
  parameters: Record<string, string>,
  roles: Partial<Record<RoleName, RoleFacts>> = {},
): string {
  const script = recipe.install.scripts[node.role];
  if (!script) throw new Error(`${recipe.name} has no role "${node.role}"`);
  const body = fill(recipe, script, node, parameters, roles, {}, `${recipe.name} script for ${node.nodeId}`);
  return [
    scriptHeader({ app: recipe.name, role: node.role, parameters }),
    library(),
    preflight(recipe),
    `# ${recipe.title}: ${node.role}`,
    body.endsWith('\n') ? body : `${body}\n`,
  ].join('\n');
}

const OUTPUT_LINE = /^s2a-output: ([A-Za-z][A-Za-z0-9]*)=(.*)$/;

/**
 * The values a role's script printed as `s2a-output: name=value` lines (declared ones only).
 * A value that does not match its pattern is reported, not used: it would flow into other scripts.
 */
export function parseScriptOutputs(
  recipe: Recipe,
  role: RoleName,
  stdout: string,
): { values: Record<string, string>; missing: string[]; invalid: string[] } {
  const declared = recipe.scriptOutputs.filter((output) => output.role === role);
  const printed = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const match = OUTPUT_LINE.exec(line.trimEnd());
    if (match) printed.set(match[1] as string, match[2] as string);
  }
  const values: Record<string, string> = {};
  const missing: string[] = [];
  const invalid: string[] = [];
  for (const output of declared) {
    const value = printed.get(output.name);
    if (value === undefined) missing.push(output.name);
    else if (!anchored(output.pattern).test(value) || !SAFE_VALUE.test(value)) invalid.push(output.name);
    else values[output.name] = value;
  }
  return { values, missing, invalid };
}

/** Replaces the values of sensitive script outputs in text (logs, progress) with "[redacted]". */
export function redactOutputs(recipe: Recipe, text: string): string {
  const sensitive = new Set(
    recipe.scriptOutputs.filter((output) => output.sensitive).map((output) => output.name),
  );
  if (sensitive.size === 0) return text;
  return text.replace(/^s2a-output: ([A-Za-z][A-Za-z0-9]*)=(.*)$/gm, (line, name: string) =>
    sensitive.has(name) ? `s2a-output: ${name}=[redacted]` : line,
  );
}

export interface RenderedOutputs {
  /** Safe to show anywhere, including to a model. */
  endpoints: Record<string, string>;
  /** Secrets (tokens, URLs holding tokens): for the person, never for logs or a model. */
  sensitive: Record<string, string>;
}

function appliesTo(output: RecipeOutput, role: RoleName): boolean {
  return output.roles === undefined || output.roles.includes(role);
}

/** The recipe's outputs for one installed node. */
export function renderOutputs(
  recipe: Recipe,
  node: RenderNode,
  parameters: Record<string, string>,
  ownOutputs: Record<string, string>,
  roles: Partial<Record<RoleName, RoleFacts>> = {},
): RenderedOutputs {
  const endpoints: Record<string, string> = {};
  const sensitive: Record<string, string> = {};
  const secretNames = new Set(
    recipe.scriptOutputs.filter((output) => output.sensitive).map((output) => output.name),
  );
  for (const output of recipe.outputs) {
    if (!appliesTo(output, node.role)) continue;
    const value = fill(
      recipe,
      output.template,
      node,
      parameters,
      roles,
      ownOutputs,
      `${recipe.name} output ${output.name}`,
    );
    const holdsSecret =
      output.sensitive || placeholdersOf(output.template).some((name) => secretNames.has(name));
    (holdsSecret ? sensitive : endpoints)[output.name] = value;
  }
  return { endpoints, sensitive };
}
