import module from 'node:module';
import os from 'node:os';
import path from 'node:path';

/**
 * Turns on Node's on-disk compile cache (Node 22.1+; older Node has no `module.enableCompileCache` and
 * starts as before). bin/lifeboat.js calls this before it loads anything else.
 *
 * Node's default folder is os.tmpdir()/node-compile-cache, shared by every user of the machine. Cached
 * code is run without being compiled again, so a folder another user can write to could hand lifeboat
 * poisoned code (the class of babel/babel#1093 and vercel/ncc#1314). lifeboat keeps its cache in the
 * user's own cache folder instead, unless NODE_COMPILE_CACHE names one; NODE_DISABLE_COMPILE_CACHE=1
 * turns it off (Node docs, "Module compile cache").
 */
export function enableCompileCache(env: NodeJS.ProcessEnv = process.env): void {
  const enable = (module as { enableCompileCache?: (directory?: string) => unknown }).enableCompileCache;
  if (typeof enable !== 'function') return;
  if (env['NODE_COMPILE_CACHE']) {
    enable();
    return;
  }
  const base = env['XDG_CACHE_HOME'] && path.isAbsolute(env['XDG_CACHE_HOME']) ? env['XDG_CACHE_HOME'] : path.join(os.homedir(), '.cache');
  enable(path.join(base, 'lifeboat', 'compile-cache'));
}
