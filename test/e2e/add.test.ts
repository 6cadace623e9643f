// End-to-end: `lifeboat add` (issue: Core, "Commands").
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bytesOf, instagramCodes, namesIn, sandbox, type Sandbox } from '../support/cli.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
  expect(box.run(['init']).status).toBe(0);
});
afterEach(() => box.cleanup());

const showJson = (account: string, all = false) => JSON.parse(box.run(['show', account, '--json', ...(all ? ['--all'] : [])]).stdout);

describe('lifeboat add', () => {
  it('stores codes piped on stdin, in order, as the service shows them', () => {
    const codes = instagramCodes(5);
    const run = box.run(['add', 'instagram'], { input: `${codes.join('\n')}\n` });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('stored 5 codes for instagram');
    expect(showJson('instagram').codes.map((c: { code: string }) => c.code)).toEqual(codes);
  });

  it('reads --file, with CRLF line ends and blank lines', () => {
    const file = path.join(box.dir, 'codes.txt');
    fs.writeFileSync(file, 'a1b2c-3d4e5\r\n\r\nf6a7b-8c9d0\r\n');
    expect(box.run(['add', 'github', '--file', file]).status).toBe(0);
    expect(showJson('github').codes.map((c: { code: string }) => c.code)).toEqual(['a1b2c-3d4e5', 'f6a7b-8c9d0']);
  });

  it('fails clearly on a missing --file, touching nothing', () => {
    const before = bytesOf(box.vault);
    const run = box.run(['add', 'github', '--file', path.join(box.dir, 'nope.txt')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('cannot read');
    expect(run.stderr).toContain('no such file');
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('rejects an empty batch and a code given twice without naming the code, vault unchanged', () => {
    const before = bytesOf(box.vault);
    const empty = box.run(['add', 'x'], { input: '\n\n' });
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain('no codes were given');
    const dup = box.run(['add', 'x'], { input: '1111 2222\n3333 4444\n1111 2222\n' });
    expect(dup.status).toBe(1);
    expect(dup.stderr).toContain('the same code as on line 1');
    expect(dup.stderr).toContain('nothing was stored');
    expect(dup.stderr).not.toContain('1111');
    expect(bytesOf(box.vault)).toEqual(before);
    expect(namesIn(path.dirname(box.vault))).toEqual(['vault.lifeboat', 'vault.lifeboat.backup']);
  });

  it('supersedes the active batch with new codes, after --yes when unspent codes would be lost', () => {
    const old = instagramCodes(5, 1);
    const fresh = instagramCodes(5, 2);
    expect(box.run(['add', 'instagram'], { input: old.join('\n') }).status).toBe(0);
    expect(box.run(['use', 'instagram']).status).toBe(0);
    const before = bytesOf(box.vault);
    const refused = box.run(['add', 'instagram'], { input: fresh.join('\n') });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('refused without a terminal');
    expect(refused.stderr).toContain('lifeboat: hint: add --yes');
    expect(bytesOf(box.vault)).toEqual(before);

    const run = box.run(['add', 'instagram', '--yes'], { input: fresh.join('\n') });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/superseded.*4 of 5 were never used/);
    const shown = showJson('instagram', true);
    expect(shown.codes.map((c: { code: string }) => c.code)).toEqual(fresh);
    expect(shown.batches.map((b: { state: string }) => b.state)).toEqual(['active', 'superseded']);
  });

  it('supersedes without asking when every old code was used', () => {
    expect(box.run(['add', 'solo'], { input: 'ABCD-EFGH-IJKL\n' }).status).toBe(0);
    expect(box.run(['use', 'solo']).status).toBe(0);
    const run = box.run(['add', 'solo'], { input: 'MNOP-QRST-UVWX\n' });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/0 of 1 were never used/);
  });

  it('treats a re-add sharing codes with the active batch as the same batch: merges, never supersedes', () => {
    const codes = instagramCodes(4);
    expect(box.run(['add', 'ig'], { input: codes.join('\n') }).status).toBe(0);
    const same = box.run(['add', 'ig'], { input: codes.map((c) => c.replace(' ', '')).join('\n') });
    expect(same.status).toBe(0);
    expect(same.stderr).toContain('already has this batch: nothing changed');
    expect(showJson('ig', true).batches).toHaveLength(1);
  });

  it('refuses a batch the service replaced (shares codes with a superseded batch), storing nothing', () => {
    const old = instagramCodes(3, 1);
    expect(box.run(['add', 'ig'], { input: old.join('\n') }).status).toBe(0);
    expect(box.run(['add', 'ig', '--yes'], { input: instagramCodes(3, 2).join('\n') }).status).toBe(0);
    const before = bytesOf(box.vault);
    const run = box.run(['add', 'ig'], { input: old.join('\n') });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('the service no longer accepts them');
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('refuses an invalid account name as bad usage', () => {
    const run = box.run(['add', ' padded '], { input: instagramCodes(3).join('\n') });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('must not be empty or start or end with a space');
  });

  it('asks for typed codes only on a terminal: with none, says how to pass them', () => {
    // stdin is a pipe here, so it is read as data; an empty pipe is "no codes".
    const run = box.run(['add', 'x'], { input: '' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('lifeboat: hint: ');
    expect(run.stderr).toContain('no codes were given');
  });
});
