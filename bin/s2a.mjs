#!/usr/bin/env node
// The s2a command. TypeScript sources are loaded through tsx, so a fresh clone runs without a build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
