// End-to-end: start-up on each Node the CI runs (issue 9, "Packaging and platforms": on Node 22+ the tool
// calls module.enableCompileCache() at start-up; older Node, which lacks it, starts as before).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { BIN } from '../support/cli.js';

const hasCompileCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';

it(`${hasCompileCache ? 'fills' : 'does not ask for'} the compile cache on Node ${process.versions.node}`, () => {
  // Node's default cache folder is os.tmpdir()/node-compile-cache (Node docs, module.enableCompileCache).
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-startup-'));
  try {
    const env: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', TMPDIR: tmp };
    const run = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8', env });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const cache = path.join(tmp, 'node-compile-cache');
    if (hasCompileCache) {
      expect(fs.readdirSync(cache).length).toBeGreaterThan(0);
      // A second start reads the cache instead of compiling again, and still works.
      expect(spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8', env }).stdout).toBe(run.stdout);
    } else {
      expect(fs.existsSync(cache)).toBe(false);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
