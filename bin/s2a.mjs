#!/usr/bin/env node
// The s2a command. TypeScript sources are loaded through tsx, so a fresh clone runs without a build.
import { register } from 'tsx/esm/api';

// LanceDB logs a warning per table it creates; the user needs none of them unless they ask.
process.env.LANCEDB_LOG ??= 'error';
register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
