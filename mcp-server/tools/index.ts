// Every tool of the s2a MCP server, one file each. Keep the count <= 25: clients cap tool lists.
import type { ToolDefinition } from '../tool.ts';
import { cancelOperation } from './cancel-operation.ts';
import { controlMci } from './control-mci.ts';
import { createMci } from './create-mci.ts';
import { deleteMci } from './delete-mci.ts';
import { estimateCost } from './estimate-cost.ts';
import { getMci } from './get-mci.ts';
import { getOperation } from './get-operation.ts';
import { installApp } from './install-app.ts';
import { listApps } from './list-apps.ts';
import { listMcis } from './list-mcis.ts';
import { listProviders } from './list-providers.ts';
import { recommendSpecs } from './recommend-specs.ts';
import { reviewMci } from './review-mci.ts';
import { runCommand } from './run-command.ts';
import { scaleMci } from './scale-mci.ts';
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
  listMcis,
  getMci,
  getOperation,
  // mutating
  createMci,
  scaleMci,
  controlMci,
  deleteMci,
  runCommand,
  installApp,
  cancelOperation,
];
