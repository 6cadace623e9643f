// End-to-end: the package as users install it (issue 9, "Packaging and platforms"): `npm pack`, then a
// global install of the tarball into a clean prefix, and `npx` of it, run lifeboat with its man page.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instagramCodes, PASSPHRASE, ROOT } from '../support/cli.js';

const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; files: string[] };
const LOCK = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; dev?: boolean; devOptional?: boolean }>;
};
// The node running the tests first on PATH, so npm and the installed `#!/usr/bin/env node` use it too.
const PATH = `${path.dirname(process.execPath)}:${process.env['PATH'] ?? '/usr/bin:/bin'}`;

let dir: string;
let tarball: string;

function run(command: string, args: readonly string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    cwd: options.cwd ?? dir,
    input: options.input ?? '',
    env: { PATH, HOME: process.env['HOME'] ?? dir, ...options.env },
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  return result;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-package-'));
  // Pack a copy of the built package, not the work tree: `npm pack` would rebuild dist/ under the other
  // tests' feet (the "prepare" script). The copy keeps the files `files` names, the lock and package.json,
  // and runs the real "prepack" script, then packs without rebuilding.
  const stage = path.join(dir, 'stage');
  fs.mkdirSync(stage);
  // node_modules too: the tarball bundles the dependencies (package.json, "bundleDependencies"), as installed here.
  for (const name of ['package.json', 'package-lock.json', 'README.md', 'bin', 'dist', 'docs', 'node_modules']) {
    fs.cpSync(path.join(ROOT, name), path.join(stage, name), { recursive: true, verbatimSymlinks: true });
  }
  // The second half of `npm run build` (the first, tsc, made dist/ before the tests ran).
  const man = run(process.execPath, [path.join(ROOT, 'dist', 'cli', 'write-man-page.js'), path.join(stage, 'man', 'lifeboat.1')]);
  expect(man.status, man.stderr).toBe(0);
  const prepack = run('npm', ['run', 'prepack', '--silent'], { cwd: stage });
  expect(prepack.status, prepack.stderr).toBe(0);
  const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: stage });
  expect(pack.status, pack.stderr).toBe(0);
  const [report] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[]; bundled: string[] }[];
  tarball = path.join(dir, report?.filename ?? '');
  fs.writeFileSync(path.join(dir, 'files.json'), JSON.stringify(report?.files.map((file) => file.path).sort()));
  fs.writeFileSync(path.join(dir, 'bundled.json'), JSON.stringify(report?.bundled ?? []));
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('npm pack', () => {
  it('holds what lifeboat needs and nothing of the development', () => {
    const files = JSON.parse(fs.readFileSync(path.join(dir, 'files.json'), 'utf8')) as string[];
    expect(path.basename(tarball)).toBe(`lifeboat-${PACKAGE.version}.tgz`);
    for (const needed of ['bin/lifeboat.js', 'dist/cli/main.js', 'dist/vault/crypto.js', 'man/lifeboat.1', 'docs/vault-format.md', 'docs/decrypt.py', 'README.md', 'package.json', 'npm-shrinkwrap.json']) {
      expect(files).toContain(needed);
    }
    const own = files.filter((file) => !file.startsWith('node_modules/'));
    expect(own.filter((file) => /^(src|test|bench|\.ci)\/|\.map$|^tsconfig|^vitest|^package-lock/.test(file))).toEqual([]);
  });

  // Regression: npm ignores the npm-shrinkwrap.json of a tarball installed globally (npm/cli#5325, #5349), so a
  // dependency released after the tests ran (cross-spawn 7.1.2) was installed in place of the locked one. The
  // tarball now carries the dependencies themselves: every package the lock file has outside development.
  it('bundles every dependency the lock file holds outside development, and none of development', () => {
    const bundled = new Set(JSON.parse(fs.readFileSync(path.join(dir, 'bundled.json'), 'utf8')) as string[]);
    const production = Object.entries(LOCK.packages)
      .filter(([where, entry]) => where.startsWith('node_modules/') && !where.slice('node_modules/'.length).includes('node_modules/') && entry.version && !entry.dev && !entry.devOptional)
      .map(([where]) => where.slice('node_modules/'.length));
    const files = JSON.parse(fs.readFileSync(path.join(dir, 'files.json'), 'utf8')) as string[];
    for (const name of production) {
      if (!fs.existsSync(path.join(ROOT, 'node_modules', name))) continue;
      expect(bundled, name).toContain(name);
    }
    expect(bundled.size).toBeGreaterThan(20);
    expect(files.filter((file) => /^node_modules\/(vitest|typescript|fast-check|@vitest)\//.test(file))).toEqual([]);
  });
});

describe('npm install -g of the tarball into a clean prefix', () => {
  let prefix: string;
  let lifeboat: string;
  beforeAll(() => {
    prefix = path.join(dir, 'prefix');
    const install = run('npm', ['install', '-g', '--prefix', prefix, tarball, '--prefer-offline', '--no-audit', '--no-fund']);
    expect(install.status, install.stderr).toBe(0);
    lifeboat = path.join(prefix, 'bin', 'lifeboat');
  }, 120_000);

  it('gives a lifeboat on the prefix\'s PATH that runs init, add, list and use', () => {
    const vault = path.join(dir, 'vault', 'vault.lifeboat');
    const passphraseFile = path.join(dir, 'passphrase');
    fs.writeFileSync(passphraseFile, `${PASSPHRASE}\n`, { mode: 0o600 });
    const env = { PATH: `${path.join(prefix, 'bin')}:${PATH}`, LIFEBOAT_VAULT: vault, LIFEBOAT_PASSPHRASE_FILE: passphraseFile, LIFEBOAT_INSECURE_TEST_KDF: '1' };
    const version = run('lifeboat', ['--version'], { env });
    expect(version.stdout).toBe(`${PACKAGE.version}\n`);
    expect(fs.realpathSync(lifeboat)).toBe(path.join(prefix, 'lib', 'node_modules', 'lifeboat', 'bin', 'lifeboat.js'));
    expect(run('lifeboat', ['init'], { env }).status).toBe(0);
    const codes = instagramCodes(5);
    const add = run('lifeboat', ['add', 'instagram'], { env, input: `${codes.join('\n')}\n` });
    expect(add.status, add.stderr).toBe(0);
    expect(run('lifeboat', ['list'], { env }).stdout).toMatch(/^instagram\s+5\/5/m);
    const use = run('lifeboat', ['use', 'insta'], { env });
    expect(use.status, use.stderr).toBe(0);
    expect(use.stdout).toBe(`${codes[0]}\n`);
  });

  it('installs the man page where man looks for it', () => {
    const page = path.join(prefix, 'share', 'man', 'man1', 'lifeboat.1');
    expect(fs.readFileSync(page, 'utf8')).toContain('.TH LIFEBOAT 1');
  });

  it('gets exactly the dependency versions of the lock file (bundled in the tarball), and no development ones', () => {
    const installed = path.join(prefix, 'lib', 'node_modules', 'lifeboat');
    expect(fs.existsSync(path.join(installed, 'npm-shrinkwrap.json'))).toBe(true);
    let count = 0;
    for (const [where, entry] of Object.entries(LOCK.packages)) {
      if (where === '' || !entry.version) continue;
      const manifest = path.join(installed, where, 'package.json');
      if (entry.dev) {
        expect(fs.existsSync(manifest), where).toBe(false);
        continue;
      }
      // Optional platform packages of other systems are not installed here.
      if (!fs.existsSync(manifest)) continue;
      expect((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version, where).toBe(entry.version);
      count += 1;
    }
    expect(count).toBeGreaterThan(10);
    expect(fs.existsSync(path.join(installed, 'node_modules', 'commander'))).toBe(true);
    expect(fs.existsSync(path.join(installed, 'node_modules', 'vitest'))).toBe(false);
  });
});

describe('npx of the tarball', () => {
  it('runs lifeboat --version', () => {
    const result = run('npm', ['exec', '--yes', '--prefer-offline', `--package=${tarball}`, '--', 'lifeboat', '--version']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${PACKAGE.version}\n`);
  }, 120_000);
});
