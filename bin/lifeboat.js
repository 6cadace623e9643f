#!/usr/bin/env node
import module from 'node:module';

// Node 22.1+ caches compiled code on disk (os.tmpdir()/node-compile-cache); older Node lacks the function.
module.enableCompileCache?.();
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
