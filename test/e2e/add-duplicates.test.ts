// Duplicates across accounts, and names that are near misses (issue 10, "Duplicates across accounts",
// "Prefixes and typos"), through the real binary without a terminal.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bytesOf, sandbox, talk, type Sandbox } from '../support/cli.js';

const GOOGLE_CODES = ['4821 0937', '1193 4410', '7305 2286', '5562 9013', '3078 6641', '9920 1457', '2614 8830', '6189 3372', '8043 5526', '1757 4098'];
const GOOGLE_FILE = [
  'SAVE YOUR BACKUP CODES',
  'Keep these backup codes somewhere safe but accessible.',
  '',
  ...GOOGLE_CODES.slice(0, 5).map((code, i) => `${i + 1}. ${code}\t\t${i + 6}. ${GOOGLE_CODES[i + 5]}`),
  '',
  '(jdoe.example@gmail.com)',
  '',
  '* You can only use each backup code once.',
  '',
].join('\n');

let box: Sandbox;
let googleFile: string;

beforeEach(() => {
  box = sandbox();
  expect(box.run(['init']).status).toBe(0);
  googleFile = path.join(box.dir, 'Backup-codes-jdoe.example.txt');
  fs.writeFileSync(googleFile, GOOGLE_FILE);
});
afterEach(() => box.cleanup());

function codes(account: string): { code: string; state: string }[] {
  return JSON.parse(box.run(['show', account, '--json']).stdout).codes;
}

describe('add: codes that another account already holds', () => {
  // Regression (issue 10): the same Google file was stored under a second account without a word.
  it('refuses the same file for a second account without a terminal, naming the account that holds it', () => {
    expect(box.run(['add', 'google', '--file', googleFile]).status).toBe(0);
    const before = bytesOf(box.vault);
    const result = box.run(['add', 'google-work', '--file', googleFile]);
    expect(result.status).toBe(2);
    expect(talk(result)).toEqual([
      'lifeboat: recognized a Google backup-codes file: 10 codes',
      'lifeboat: error: all 10 codes already belong to google, so this is likely the wrong account: refused without a terminal to confirm on',
      'lifeboat: hint: add --yes to go ahead',
    ]);
    expect(result.stderr).not.toContain('4821');
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('stores them with --yes', () => {
    expect(box.run(['add', 'google', '--file', googleFile]).status).toBe(0);
    const result = box.run(['add', 'google-work', '--file', googleFile, '--yes']);
    expect(result.status).toBe(0);
    expect(codes('google-work').map((c) => c.code)).toEqual(GOOGLE_CODES);
  });

  it('says how many when only some of the codes are held elsewhere', () => {
    box.run(['add', 'google'], { input: `${GOOGLE_CODES[0]}\n${GOOGLE_CODES[1]}\n` });
    const result = box.run(['add', 'other'], { input: `${GOOGLE_CODES.slice(1, 4).join('\n')}\n` });
    expect(result.status).toBe(2);
    expect(talk(result)[1]).toBe('lifeboat: error: 1 of these 3 codes already belong to google, so this is likely the wrong account: refused without a terminal to confirm on');
  });

  // Regression (issue 10): `use` of the second account handed out a code already spent under the first.
  it('use never hands out a code spent under another account, and spends every copy of what it hands out', () => {
    expect(box.run(['add', 'google', '--file', googleFile]).status).toBe(0);
    expect(box.run(['add', 'google-work', '--file', googleFile, '--yes']).status).toBe(0);
    expect(box.run(['use', 'google']).stdout).toBe(`${GOOGLE_CODES[0]}\n`);
    expect(codes('google-work').map((c) => c.state).slice(0, 2)).toEqual(['spent', 'unspent']);
    expect(JSON.parse(box.run(['list', '--json']).stdout).map((a: { name: string; remaining: number }) => `${a.name}:${a.remaining}`)).toEqual([
      'google:9',
      'google-work:9',
    ]);
    expect(box.run(['use', 'google-work']).stdout).toBe(`${GOOGLE_CODES[1]}\n`);
    expect(box.run(['use', 'google']).stdout).toBe(`${GOOGLE_CODES[2]}\n`);
    expect(codes('google-work').map((c) => c.state).slice(0, 4)).toEqual(['spent', 'spent', 'spent', 'unspent']);
  });

  // Regression: `spend` marked the typed code under its own account only, so `use` of the other account
  // could still hand out the code just typed at a login screen.
  // Regression: `spend` stored the mark under its own account only; the views settled the copy, but the vault
  // (and so an export, a sheet or another device) still held it unspent.
  it('spend stores the mark on every copy of the typed code, with the same spend', () => {
    expect(box.run(['add', 'google', '--file', googleFile]).status).toBe(0);
    expect(box.run(['add', 'google-work', '--file', googleFile, '--yes']).status).toBe(0);
    expect(box.run(['spend', 'google'], { input: `${GOOGLE_CODES[0]}\n` }).status).toBe(0);
    const exported = box.run(['export', '--plaintext', '--format', 'json']);
    expect(exported.status).toBe(0);
    const stored = JSON.parse(exported.stdout) as { accounts: { name: string; batches: { codes: { code: string; spentAt: string | null }[] }[] }[] };
    const first = stored.accounts.map((account) => `${account.name}:${account.batches[0]!.codes[0]!.spentAt === null ? 'unspent' : 'spent'}`);
    expect(first).toEqual(['google:spent', 'google-work:spent']);
    const [google, work] = stored.accounts.map((account) => account.batches[0]!.codes[0]!.spentAt);
    expect(work).toBe(google);
    expect(stored.accounts[1]!.batches[0]!.codes[1]!.spentAt).toBeNull();
    expect(box.run(['use', 'google-work']).stdout).toBe(`${GOOGLE_CODES[1]}\n`);
  });

  // Regression: a copy that came in unspent from another device (here through `merge`) was printed as unused,
  // while `use`, `show` and `list` already counted it spent.
  it('print marks a code spent when its copy under another account was spent', () => {
    expect(box.run(['add', 'google', '--file', googleFile]).status).toBe(0);
    const other = path.join(box.dir, 'other', 'vault.lifeboat');
    fs.mkdirSync(path.dirname(other), { mode: 0o700 });
    fs.copyFileSync(box.vault, other);
    expect(box.run(['spend', 'google', GOOGLE_CODES[0]!]).status).toBe(0);
    expect(box.run(['--vault', other, 'add', 'google-work', '--file', googleFile, '--yes']).status).toBe(0);
    expect(box.run(['merge', other]).status).toBe(0);
    const sheet = box.run(['print', 'google-work']);
    expect(sheet.status).toBe(0);
    expect(sheet.stdout).toMatch(new RegExp(`^.*\\[X\\] +1 +${GOOGLE_CODES[0]} +used\\b`, 'm'));
    expect(sheet.stdout).toMatch(new RegExp(`\\[ \\] +2 +${GOOGLE_CODES[1]}(?!\\S)`));
  });

  it('check never calls a code unspent that was spent under another account', () => {
    expect(box.run(['add', 'google', '--file', googleFile]).status).toBe(0);
    expect(box.run(['add', 'google-work', '--file', googleFile, '--yes']).status).toBe(0);
    expect(box.run(['use', 'google']).status).toBe(0);
    const result = box.run(['check', '--json'], { input: `${GOOGLE_CODES[0]}\n` });
    expect(result.status).toBe(0);
    const verdict = JSON.parse(result.stdout);
    expect(verdict.state).toBe('spent');
    expect(verdict.matches.map((m: { account: string; state: string }) => `${m.account}:${m.state}`)).toEqual(['google:spent', 'google-work:spent']);
  });
});

describe("add: a file whose service differs from the account's", () => {
  // Regression (issue 10): a Google file added to an account whose service is GitHub replaced its batch without a warning.
  it('refuses a Google file for a GitHub account without a terminal, and leaves the vault as it was', () => {
    const github = path.join(box.dir, 'github-recovery-codes.txt');
    fs.writeFileSync(github, '3f9a1-c07e2\nb2d48-91fa0\n');
    expect(box.run(['add', 'work', '--file', github]).status).toBe(0);
    // Both codes spent, so no unused code is at stake and nothing else would stop the replacement.
    expect(box.run(['use', 'work']).status).toBe(0);
    expect(box.run(['use', 'work']).status).toBe(0);
    const before = bytesOf(box.vault);
    const result = box.run(['add', 'work', '--file', googleFile]);
    expect(result.status).toBe(2);
    expect(talk(result)[1]).toBe('lifeboat: error: these look like Google codes, but work is a GitHub account: refused without a terminal to confirm on');
    expect(bytesOf(box.vault)).toEqual(before);
    expect(box.run(['add', 'work', '--file', googleFile, '--yes']).status).toBe(0);
  });
});

describe('use and show: an unknown name suggests the nearest', () => {
  it('use of a typo names the account meant in the hint, exit 4', () => {
    box.run(['add', 'instagram'], { input: '1111 2222\n3333 4444\n' });
    const result = box.run(['use', 'instgram']);
    expect(result.status).toBe(4);
    expect(result.stdout).toBe('');
    expect(talk(result)).toEqual([
      'lifeboat: error: no account named "instgram"',
      'lifeboat: hint: did you mean instagram? run `lifeboat list` to see your accounts',
    ]);
  });

  it('show of a typo does too; a name near nothing keeps the plain hint', () => {
    box.run(['add', 'github'], { input: 'a1b2c-3d4e5\nf6a7b-8c9d0\n' });
    expect(talk(box.run(['show', 'githbu']))[1]).toBe('lifeboat: hint: did you mean github? run `lifeboat list` to see your accounts');
    expect(talk(box.run(['show', 'dropbox']))[1]).toBe('lifeboat: hint: run `lifeboat list` to see your accounts');
  });
});
