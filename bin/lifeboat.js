#!/usr/bin/env node
// The compile cache goes on first, before the rest of lifeboat is loaded (and compiled).
(await import('../dist/cli/compile-cache.js')).enableCompileCache();
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
