// Every tool must be usable by a model that sees nothing but its listing.
import { describe, expect, it } from 'vitest';
import { mcpConfigFromEnvironment } from './config.ts';
import { exposedTools, toolListing } from './server.ts';
import { ALL_TOOLS } from './tools/index.ts';

interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema | JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
}

/** Paths of properties without a description, at any depth. */
function undescribed(schema: JsonSchema, path = ''): string[] {
  const missing: string[] = [];
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const here = path ? `${path}.${key}` : key;
    const described =
      property.description !== undefined ||
      [...(property.anyOf ?? []), ...(property.oneOf ?? [])].some(
        (option) => option.description !== undefined,
      );
    if (!described) missing.push(here);
    missing.push(...undescribed(property, here));
    for (const option of [...(property.anyOf ?? []), ...(property.oneOf ?? [])])
      missing.push(...undescribed(option, here));
    const items = Array.isArray(property.items) ? property.items : property.items ? [property.items] : [];
    for (const item of items) missing.push(...undescribed(item, `${here}[]`));
  }
  return missing;
}

describe('the tool registry', () => {
  it('stays within the tool counts clients accept (<= 25)', () => {
    expect(ALL_TOOLS.length).toBeLessThanOrEqual(25);
  });

  it('has unique camelCase names', () => {
    const names = ALL_TOOLS.map((tool) => tool.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][A-Za-z]*$/);
  });

  it.each(ALL_TOOLS.map((tool) => [tool.name, tool] as const))(
    '%s has a title, a description for a model, all four annotations, and an output schema',
    (_name, tool) => {
      const listing = toolListing(tool);
      expect(listing.title?.length).toBeGreaterThan(3);
      expect(listing.description?.length).toBeGreaterThan(80);
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
        expect(typeof listing.annotations?.[hint]).toBe('boolean');
      }
      expect(listing.outputSchema?.type).toBe('object');
      expect(listing.inputSchema.type).toBe('object');
    },
  );

  it.each(ALL_TOOLS.map((tool) => [tool.name, tool] as const))(
    '%s describes every input field',
    (_name, tool) => {
      expect(undescribed(toolListing(tool).inputSchema as JsonSchema)).toEqual([]);
    },
  );

  it.each(ALL_TOOLS.map((tool) => [tool.name, tool] as const))(
    '%s describes every output field',
    (_name, tool) => {
      expect(undescribed(toolListing(tool).outputSchema as JsonSchema)).toEqual([]);
    },
  );

  it('mutating tools take confirm, and read-only mode hides them', () => {
    const readOnly = exposedTools(mcpConfigFromEnvironment({ S2A_READ_ONLY: '1' }));
    for (const tool of ALL_TOOLS) {
      // cancelOperation is the emergency brake: it never waits for a person.
      if (!tool.annotations.readOnlyHint && tool.name !== 'cancelOperation') {
        expect(Object.keys(tool.input.shape)).toContain('confirm');
      }
      if (tool.annotations.readOnlyHint) {
        expect(readOnly).toContain(tool);
      } else {
        expect(readOnly).not.toContain(tool);
      }
    }
  });
});
