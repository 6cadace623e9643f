// End-to-end: `lifeboat list`, `show`, `rename`, `remove` (issue: Core, "Commands").
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bytesOf, instagramCodes, sandbox, type Sandbox } from '../support/cli.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
  expect(box.run(['init']).status).toBe(0);
  expect(box.run(['add', 'instagram'], { input: instagramCodes(5).join('\n') }).status).toBe(0);
  expect(box.run(['add', 'github:work'], { input: 'a1b2c-3d4e5\nf6a7b-8c9d0\n' }).status).toBe(0);
});
afterEach(() => box.cleanup());

describe('lifeboat list', () => {
  it('shows each account with codes left, total, date and warnings', () => {
    box.run(['use', 'github']);
    const run = box.run(['list']);
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ACCOUNT\s+LEFT\s+ADDED$/);
    expect(lines[1]).toMatch(/^github:work\s+1\/2\s+\d{4}-\d\d-\d\d\s+only 1 left: generate new codes soon$/);
    expect(lines[2]).toMatch(/^instagram\s+5\/5\s+\d{4}-\d\d-\d\d$/);
  });

  it('--json gives name, remaining and total', () => {
    box.run(['use', 'github']);
    box.run(['use', 'github']);
    const rows = JSON.parse(box.run(['list', '--json']).stdout);
    expect(rows.map((r: { name: string; remaining: number; total: number; warning: string | null }) => [r.name, r.remaining, r.total, r.warning])).toEqual([
      ['github:work', 0, 2, 'none left'],
      ['instagram', 5, 5, null],
    ]);
  });
});

describe('lifeboat show', () => {
  it('lists the active batch with spent codes marked, and its fingerprint', () => {
    box.run(['use', 'github']);
    const run = box.run(['show', 'git']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/batch [0-9a-f]{4}-[0-9a-f]{4}, added \d{4}-\d\d-\d\d: 1 of 2 left/);
    expect(run.stdout).toMatch(/1\. a1b2c-3d4e5\s+spent \d{4}-\d\d-\d\d/);
    expect(run.stdout).toMatch(/2\. f6a7b-8c9d0\n/);
    const json = JSON.parse(box.run(['show', 'git', '--json']).stdout);
    expect(json.name).toBe('github:work');
    expect(run.stdout).toContain(json.batch.fingerprint);
  });

  it('--all adds superseded batches, marked', () => {
    expect(box.run(['add', 'github:work', '--yes'], { input: 'b1c2d-4e5f6\n9a8b7-c6d5e\n' }).status).toBe(0);
    const run = box.run(['show', 'github:work', '--all']);
    expect(run.stdout).toContain('SUPERSEDED on');
    expect(run.stdout).toMatch(/a1b2c-3d4e5\s+never used/);
    const json = JSON.parse(box.run(['show', 'github:work', '--all', '--json']).stdout);
    expect(json.batches).toHaveLength(2);
    expect(json.codes.map((c: { code: string }) => c.code)).toEqual(['b1c2d-4e5f6', '9a8b7-c6d5e']);
  });
});

describe('lifeboat rename', () => {
  it('renames; the new name must be free', () => {
    expect(box.run(['rename', 'insta', 'instagram:me']).status).toBe(0);
    expect(box.run(['show', 'instagram:me']).status).toBe(0);
    const before = bytesOf(box.vault);
    const clash = box.run(['rename', 'instagram:me', 'GITHUB:WORK']);
    expect(clash.status).toBe(1);
    expect(clash.stderr).toContain('an account named "github:work" already exists');
    expect(bytesOf(box.vault)).toEqual(before);
  });
});

describe('lifeboat remove', () => {
  it('without a terminal needs --yes (exit 2), then removes the account', () => {
    const before = bytesOf(box.vault);
    const refused = box.run(['remove', 'instagram']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('its 5 unspent codes');
    expect(refused.stderr).toContain('add --yes');
    expect(bytesOf(box.vault)).toEqual(before);
    expect(box.run(['remove', 'instagram', '--yes']).status).toBe(0);
    expect(box.run(['show', 'instagram']).status).toBe(4);
  });

  it('takes the exact name only, never a prefix', () => {
    const run = box.run(['remove', 'insta', '--yes']);
    expect(run.status).toBe(4);
    expect(run.stderr).toContain('remove takes the exact name');
  });
});
