// End-to-end: help, version and bad usage (issue: Core, "Global" and "Exit status").
import { describe, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';

const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
const COMMANDS = ['init', 'add', 'list', 'show', 'use', 'spend', 'unspend', 'check', 'edit', 'status', 'rename', 'remove', 'passwd', 'print', 'export', 'import', 'merge', 'git-setup', 'restore-backup', 'unlock', 'lock'];

describe('help and version', () => {
  it('--version prints the version from package.json', async () => {
    const { default: pkg } = await import('../../package.json', { with: { type: 'json' } });
    const run = runBin(['--version'], env);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${pkg.version}\n`);
  });

  it('--help lists every command, with examples', () => {
    const run = runBin(['--help'], env);
    expect(run.status).toBe(0);
    for (const command of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(run.stdout).toContain('$ lifeboat use instagram');
  });

  it('the README shows exactly the help that --help prints', async () => {
    const fs = await import('node:fs');
    const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const shown = /```console\n\$ lifeboat --help\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(shown).toBe(runBin(['--help'], env).stdout);
  });

  it.each(COMMANDS)('%s --help shows an example', (command) => {
    const run = runBin([command, '--help'], env);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Examples?:\n {2}\$ lifeboat /);
  });
});

describe('bad usage exits 2 with a hint, never a stack trace', () => {
  it.each([
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['list', '--nope'], "unknown option '--nope'"],
    [['use'], "missing required argument 'account'"],
    [['rename', 'a'], "missing required argument 'new'"],
    [['init', '--kdf-passes', '0'], 'expected a whole number above 0'],
    [['list', 'extra'], 'too many arguments'],
  ])('%j', (args, message) => {
    const run = runBin(args, env);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('lifeboat: hint: run with --help for usage');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('no command at all shows the help on stderr, exit 2', () => {
    const run = runBin([], env);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Usage: lifeboat');
  });

  it('a malformed LIFEBOAT_LOCK_TIMEOUT is bad usage', () => {
    const run = runBin(['list'], { ...env, LIFEBOAT_LOCK_TIMEOUT: 'soon' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('LIFEBOAT_LOCK_TIMEOUT must be a number of seconds');
  });
});
