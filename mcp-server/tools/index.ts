// Every tool of the s2a MCP server, one file each. Keep the count <= 25: clients cap tool lists.
import type { ToolDefinition } from '../tool.ts';
import { createMci } from './create-mci.ts';
import { estimateCost } from './estimate-cost.ts';
import { listApps } from './list-apps.ts';
import { listProviders } from './list-providers.ts';
import { recommendSpecs } from './recommend-specs.ts';
import { reviewMci } from './review-mci.ts';
import { searchImages } from './search-images.ts';
import { searchRegions } from './search-regions.ts';
import { searchSpecs } from './search-specs.ts';

export const ALL_TOOLS: readonly ToolDefinition[] = [
  // read-only
  listProviders,
  searchRegions,
  searchSpecs,
  searchImages,
  recommendSpecs,
  estimateCost,
  reviewMci,
  listApps,
  // mutating
  createMci,
];
