// End-to-end: an export someone else wrote cannot take over an account or brick the vault (issue 11,
// findings 2, 3, 8), and a vault that went back in time does not hand out a code this device saw spent
// (issue 8, "Rollback").
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bytesOf, instagramCodes, sandbox, type Sandbox } from '../support/cli.js';

const USER = instagramCodes(4, 7);
const ATTACKER = instagramCodes(4, 9);

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
  expect(box.run(['init']).status).toBe(0);
  expect(box.run(['add', 'github'], { input: USER.join('\n') }).status).toBe(0);
});
afterEach(() => box.cleanup());

/** A JSON export as anyone could write it. */
function craft(accounts: unknown[]): string {
  const file = path.join(box.dir, `crafted-${Math.random().toString(16).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify({ accounts, tombstones: [] }));
  return file;
}

function exportAccount(name: string, id: string, addedAt: string, codes: string[]) {
  return {
    id,
    name,
    service: 'GitHub',
    username: null,
    note: null,
    createdAt: '2020-01-01T00:00:00.000Z',
    batches: [{ id: `${id}b`, addedAt, source: 'import', supersededAt: null, printedAt: null, copiedAt: null, codes: codes.map((code) => ({ code, spentAt: null })) }],
  };
}

describe('lifeboat import of a crafted export', () => {
  it('refuses a batch dated in the future: exit 1, nothing imported, the vault byte for byte as it was', () => {
    const before = bytesOf(box.vault);
    const run = box.run(['import', craft([exportAccount('GitHub', 'e1e1e1e1e1e1e1e1', '2099-12-29T00:00:00.000Z', ATTACKER)])]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cannot be imported: account 1 batch 1 addedAt lies in the future\nlifeboat: hint: nothing was imported; the vault is unchanged/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('a plausible newer batch comes in as history: use hands out the user\'s codes, before and after the user adds fresh ones', () => {
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    const run = box.run(['import', craft([exportAccount('GitHub', 'e1e1e1e1e1e1e1e1', yesterday, ATTACKER)])]);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('to github as superseded history: an export never replaces the active batch');
    // Its service is a detail of an existing account: without a terminal and --yes it is left as it was.
    expect(run.stderr).toContain('left 1 detail of existing accounts as they were (github service)');
    expect(box.run(['use', 'github']).stdout).toBe(`${USER[0]}\n`);
    const fresh = instagramCodes(3, 11);
    expect(box.run(['add', 'github', '--yes'], { input: fresh.join('\n') }).status).toBe(0);
    expect(box.run(['use', 'github']).stdout).toBe(`${fresh[0]}\n`);
    expect(JSON.parse(box.run(['show', 'github', '--json']).stdout).service ?? null).toBeNull();
  });

  it('two imports of one name written two ways (T + U+0308, t + U+0308) leave a vault and a backup that open', () => {
    expect(box.run(['import', craft([exportAccount('T\u0308', 'a1a1a1a1a1a1a1a1', '2026-01-01T00:00:00.000Z', ATTACKER)])]).status).toBe(0);
    expect(box.run(['import', craft([exportAccount('t\u0308', 'a2a2a2a2a2a2a2a2', '2026-01-02T00:00:00.000Z', instagramCodes(2, 5))])]).status).toBe(0);
    expect(box.run(['list']).status).toBe(0);
    expect(box.run(['--vault', `${box.vault}.backup`, 'list']).status).toBe(0);
  });

  it('refuses a code shaped like a spreadsheet formula', () => {
    const before = bytesOf(box.vault);
    const run = box.run(['import', craft([exportAccount('sheet', 'b1b1b1b1b1b1b1b1', '2026-01-01T00:00:00.000Z', ['=HYPERLINK("http://example.com")'])])]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('starts with = + - or @');
    expect(bytesOf(box.vault)).toEqual(before);
  });
});

describe('a vault that went back in time (rollback)', () => {
  it('does not hand out a code this device saw spent; with --yes it marks it spent again and hands out the next', () => {
    const older = path.join(box.dir, 'older-copy');
    fs.copyFileSync(box.vault, older);
    expect(box.run(['use', 'github']).stdout).toBe(`${USER[0]}\n`);
    // A sync tool brings back the older copy.
    fs.copyFileSync(older, box.vault);
    const before = bytesOf(box.vault);
    const refused = box.run(['use', 'github']);
    expect(refused.stdout).toBe('');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('this vault went back in time');
    expect(refused.stderr).toContain('1 code this device saw spent shows as unspent');
    expect(bytesOf(box.vault)).toEqual(before);
    // Read-only commands say it too.
    expect(box.run(['list']).stderr).toContain('this vault went back in time');
    const accepted = box.run(['use', 'github', '--yes']);
    expect(accepted.status).toBe(0);
    expect(accepted.stdout).toBe(`${USER[1]}\n`);
    const codes = JSON.parse(box.run(['show', 'github', '--json']).stdout);
    expect(JSON.stringify(codes)).toContain(USER[0]);
    expect(box.run(['check', USER[0]!]).stdout).toMatch(/spent/);
  });
});
