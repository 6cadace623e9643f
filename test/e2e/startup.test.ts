// End-to-end: start-up on each Node the CI runs (issue 9, "Packaging and platforms": on Node 22+ the tool
// calls module.enableCompileCache() at start-up; older Node, which lacks it, starts as before).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { BIN } from '../support/cli.js';

const hasCompileCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';
let home: string;
let env: Record<string, string>;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-startup-'));
  fs.mkdirSync(path.join(home, 'tmp'));
  env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, TMPDIR: path.join(home, 'tmp') };
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

function version(extra: Record<string, string> = {}): string {
  const run = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8', env: { ...env, ...extra } });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout;
}

/** The files under a folder, recursively. */
function filesUnder(folder: string): string[] {
  return fs.existsSync(folder) ? (fs.readdirSync(folder, { recursive: true }) as string[]).filter((name) => fs.statSync(path.join(folder, name)).isFile()) : [];
}

it(`${hasCompileCache ? 'fills' : 'does not ask for'} a compile cache of the user's own on Node ${process.versions.node}`, () => {
  const first = version();
  const cache = path.join(home, '.cache', 'lifeboat', 'compile-cache');
  // Never the shared default, os.tmpdir()/node-compile-cache, which another user could write to.
  expect(fs.existsSync(path.join(home, 'tmp', 'node-compile-cache'))).toBe(false);
  if (hasCompileCache) {
    const files = filesUnder(cache);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(fs.statSync(path.join(cache, file)).mode & 0o077).toBe(0);
    // A second start reads the cache instead of compiling again, and still works.
    expect(version()).toBe(first);
  } else {
    expect(fs.existsSync(cache)).toBe(false);
  }
});

it('honours XDG_CACHE_HOME, NODE_COMPILE_CACHE and NODE_DISABLE_COMPILE_CACHE', () => {
  version({ XDG_CACHE_HOME: path.join(home, 'xdg') });
  expect(filesUnder(path.join(home, 'xdg', 'lifeboat', 'compile-cache')).length > 0).toBe(hasCompileCache);
  version({ NODE_COMPILE_CACHE: path.join(home, 'chosen') });
  expect(filesUnder(path.join(home, 'chosen')).length > 0).toBe(hasCompileCache);
  version({ NODE_DISABLE_COMPILE_CACHE: '1', XDG_CACHE_HOME: path.join(home, 'off') });
  expect(fs.existsSync(path.join(home, 'off'))).toBe(false);
});
