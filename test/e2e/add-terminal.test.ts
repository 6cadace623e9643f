// `lifeboat add` on a real terminal (tmux), issue 10: a block pasted at the typed prompt is taken whole
// (bracketed paste), what was read is listed before the question, and a near-miss name asks "did you mean".
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PASSPHRASE, bytesOf, sandbox, type Sandbox } from '../support/cli.js';
import { terminal, type Window } from '../support/tmux.js';

const term = terminal('add');
const run = term.available;
const { tmux, waitFor, exitStatus, screen, paste } = term;
let box: Sandbox;

/** Starts lifeboat in a fresh tmux window; its exit status lands in a file. */
const start = (args: string[]): Window => term.start(box, args, { rows: 40 });
const CODES = ['4815 1623', '4208 1337', '9001 2718', '3141 5926', '5358 9793'];

function stored(account: string): string[] {
  return JSON.parse(box.run(['show', account, '--json']).stdout).codes.map((code: { code: string }) => code.code);
}

beforeEach(() => {
  box = sandbox();
  expect(box.run(['init']).status).toBe(0);
});
afterEach(() => box.cleanup());
afterAll(() => term.close());

describe.runIf(run)('add on a real terminal (issue 10)', () => {
  // Regression (issue 10): pasting five codes at the typed prompt kept the first line only.
  it('takes a block of codes pasted at the typed prompt whole, echoing none of them, and stores all', async () => {
    const { name, statusFile } = start(['add', 'instagram']);
    await waitFor(name, 'Paste or type the codes');
    paste(name, `${CODES.join('\n')}\n`);
    const masked = await waitFor(name, '•••• ••••');
    for (const code of CODES) expect(masked).not.toContain(code);
    tmux('send-keys', '-t', name, 'Enter');
    await waitFor(name, 'Passphrase');
    tmux('send-keys', '-t', name, PASSPHRASE, 'Enter');
    await waitFor(name, 'Store these 5 codes for instagram?');
    tmux('send-keys', '-t', name, 'Enter');
    expect(await exitStatus(statusFile)).toBe(0);
    expect(stored('instagram')).toEqual(CODES);
  });

  it('Ctrl+C at the typed prompt cancels with exit 130 and stores nothing', async () => {
    const before = bytesOf(box.vault);
    const { name, statusFile } = start(['add', 'instagram']);
    await waitFor(name, 'Paste or type the codes');
    paste(name, `${CODES[0]}\n`);
    await waitFor(name, '•••• ••••');
    tmux('send-keys', '-t', name, 'C-c');
    expect(await exitStatus(statusFile)).toBe(130);
    expect(screen(name)).toContain('cancelled: nothing was changed');
    expect(bytesOf(box.vault)).toEqual(before);
  });

  // Regression (issue 10): "Store these 5 codes for instagram? (Y/n)" never showed the codes.
  it('lists the codes it read, numbered and with used marks, before asking to store them', async () => {
    const file = path.join(box.dir, 'codes.txt');
    fs.writeFileSync(file, `${CODES[0]} (used)\n${CODES.slice(1).join('\n')}\n`);
    const { name, statusFile } = start(['add', 'instagram', '--file', file]);
    await waitFor(name, 'Passphrase');
    tmux('send-keys', '-t', name, PASSPHRASE, 'Enter');
    const shown = await waitFor(name, 'Store these 5 codes for instagram?');
    const lines = shown.split('\n');
    const question = lines.findIndex((line) => line.includes('Store these 5 codes'));
    const listed = CODES.map((code, i) => lines.findIndex((line) => line.includes(`${i + 1}. ${code}`)));
    for (const index of listed) expect(index).toBeGreaterThanOrEqual(0);
    for (const index of listed) expect(index).toBeLessThan(question);
    expect(lines[listed[0] ?? -1]).toContain('(used)');
    tmux('send-keys', '-t', name, 'n', 'Enter');
    expect(await exitStatus(statusFile)).toBe(130);
  });

  it('asks "did you mean" for a new name that is a prefix of an existing account, and adds there', async () => {
    expect(box.run(['add', 'instagram'], { input: '1111 2222\n3333 4444\n' }).status).toBe(0);
    // Both spent, so replacing the batch asks nothing more.
    expect(box.run(['use', 'instagram']).status).toBe(0);
    expect(box.run(['use', 'instagram']).status).toBe(0);
    const file = path.join(box.dir, 'codes.txt');
    fs.writeFileSync(file, `${CODES.join('\n')}\n`);
    const { name, statusFile } = start(['add', 'insta', '--file', file]);
    await waitFor(name, 'Passphrase');
    tmux('send-keys', '-t', name, PASSPHRASE, 'Enter');
    await waitFor(name, 'There is no account "insta". Did you mean instagram?');
    tmux('send-keys', '-t', name, 'Enter');
    await waitFor(name, 'Store these 5 codes for instagram?');
    tmux('send-keys', '-t', name, 'Enter');
    expect(await exitStatus(statusFile)).toBe(0);
    expect(stored('instagram')).toEqual(CODES);
    expect(JSON.parse(box.run(['list', '--json']).stdout).map((a: { name: string }) => a.name)).toEqual(['instagram']);
  });

  it('asks before storing codes another account holds; "no" changes nothing', async () => {
    expect(box.run(['add', 'google'], { input: `${CODES.join('\n')}\n` }).status).toBe(0);
    const before = bytesOf(box.vault);
    const file = path.join(box.dir, 'codes.txt');
    fs.writeFileSync(file, `${CODES.join('\n')}\n`);
    const { name, statusFile } = start(['add', 'work', '--file', file]);
    await waitFor(name, 'Passphrase');
    tmux('send-keys', '-t', name, PASSPHRASE, 'Enter');
    await waitFor(name, 'Store these 5 codes for work?');
    tmux('send-keys', '-t', name, 'Enter');
    await waitFor(name, 'All 5 codes already belong to google. Store them for work too?');
    tmux('send-keys', '-t', name, 'n', 'Enter');
    expect(await exitStatus(statusFile)).toBe(130);
    expect(bytesOf(box.vault)).toEqual(before);
  });
});
