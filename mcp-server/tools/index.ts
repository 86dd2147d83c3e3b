// Every tool of the s2a MCP server, one file each. Keep the count <= 25: clients cap tool lists.
import type { ToolDefinition } from '../tool.ts';
import { createMci } from './create-mci.ts';
import { searchSpecs } from './search-specs.ts';

export const ALL_TOOLS: readonly ToolDefinition[] = [
  // read-only
  searchSpecs,
  // mutating
  createMci,
];
