// End-to-end on a real terminal (tmux): masked prompts on /dev/tty, asked twice for a new passphrase,
// confirmations, and Ctrl+C mapped to exit 130 with nothing changed (issue: Core, "Prompts").
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, bytesOf, sandbox, type Sandbox } from '../support/cli.js';
import { terminal, type Window } from '../support/tmux.js';

const term = terminal('terminal');
const run = term.available;
const { tmux, waitFor, exitStatus } = term;
let box: Sandbox;

/** Starts lifeboat in a fresh tmux window; its exit status lands in a file. */
const start = (args: string[]): Window => term.start(box, args);

beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());
afterAll(() => term.close());

describe.runIf(run)('on a real terminal', () => {
  it('init asks twice with a masked prompt, and the vault then opens with that passphrase', async () => {
    const { name, statusFile } = start(['init']);
    await waitFor(name, 'New passphrase');
    tmux('send-keys', '-t', name, 'tidy otter juggles 41 plums', 'Enter');
    const screen = await waitFor(name, 'New passphrase (again)');
    expect(screen).not.toContain('tidy otter juggles 41 plums');
    expect(screen).toContain('***************************');
    tmux('send-keys', '-t', name, 'tidy otter juggles 41 plums', 'Enter');
    expect(await exitStatus(statusFile)).toBe(0);
    expect(box.run(['list'], { env: { LIFEBOAT_PASSPHRASE: 'tidy otter juggles 41 plums' } }).status).toBe(0);
  });

  it('Ctrl+C at a prompt exits 130 and changes nothing', async () => {
    expect(box.run(['init']).status).toBe(0);
    expect(box.run(['add', 'ig'], { input: '1111 2222\n3333 4444\n' }).status).toBe(0);
    const before = bytesOf(box.vault);
    const { name, statusFile } = start(['use', 'ig']);
    await waitFor(name, 'Passphrase');
    tmux('send-keys', '-t', name, 'C-c');
    expect(await exitStatus(statusFile)).toBe(130);
    expect(tmux('capture-pane', '-p', '-t', name)).toContain('cancelled: nothing was changed');
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('remove asks for confirmation on the terminal; "no" changes nothing', async () => {
    expect(box.run(['init']).status).toBe(0);
    expect(box.run(['add', 'ig'], { input: '1111 2222\n3333 4444\n' }).status).toBe(0);
    const before = bytesOf(box.vault);
    const { name, statusFile } = start(['remove', 'ig']);
    await waitFor(name, 'Passphrase');
    tmux('send-keys', '-t', name, 'correct horse battery staple', 'Enter');
    await waitFor(name, 'Remove ig and its 2 unspent codes?');
    tmux('send-keys', '-t', name, 'n', 'Enter');
    expect(await exitStatus(statusFile)).toBe(130);
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('spend asks for the code with a masked prompt when it is not given', async () => {
    expect(box.run(['init']).status).toBe(0);
    expect(box.run(['add', 'ig'], { input: '1111 2222\n3333 4444\n' }).status).toBe(0);
    const { name, statusFile } = start(['spend', 'ig']);
    // Issue 9: inputs first, then the passphrase, so a mistyped passphrase never costs the typed code.
    await waitFor(name, 'Code');
    tmux('send-keys', '-t', name, '3333 4444', 'Enter');
    const screen = await waitFor(name, 'Passphrase');
    expect(screen).not.toContain('3333 4444');
    tmux('send-keys', '-t', name, 'correct horse battery staple', 'Enter');
    expect(await exitStatus(statusFile)).toBe(0);
    expect(tmux('capture-pane', '-p', '-t', name)).not.toContain('3333 4444');
    const shown = JSON.parse(box.run(['show', 'ig', '--json']).stdout);
    expect(shown.codes[1].state).toBe('spent');
  });
});

describe.runIf(run)('add on a real terminal (issue: Import, "refuses to guess")', () => {
  it('shows what it recognized and asks before storing; Enter stores', async () => {
    expect(box.run(['init']).status).toBe(0);
    const file = path.join(box.dir, 'github-recovery-codes.txt');
    fs.writeFileSync(file, 'a1b2c-3d4e5\r\nf6a7b-8c9d0\r\n');
    const { name, statusFile } = start(['add', 'github', '--file', file]);
    await waitFor(name, 'Passphrase');
    tmux('send-keys', '-t', name, 'correct horse battery staple', 'Enter');
    await waitFor(name, 'Store these 2 codes for github?');
    expect(tmux('capture-pane', '-p', '-t', name)).toContain('recognized a GitHub recovery-codes file: 2 codes');
    tmux('send-keys', '-t', name, 'Enter');
    expect(await exitStatus(statusFile)).toBe(0);
    const shown = JSON.parse(box.run(['show', 'github', '--json']).stdout);
    expect(shown.codes.map((c: { code: string }) => c.code)).toEqual(['a1b2c-3d4e5', 'f6a7b-8c9d0']);
  });

  it('lets the user tick the real codes in a note full of numbers; only those are stored', async () => {
    expect(box.run(['init']).status).toBe(0);
    const { name, statusFile } = start(['add', 'bank', '--file', path.join(ROOT, 'test/fixtures/import/note-ambiguous.txt')]);
    await waitFor(name, 'Passphrase');
    tmux('send-keys', '-t', name, 'correct horse battery staple', 'Enter');
    const screen = await waitFor(name, 'Which of these are backup codes?');
    expect(screen).toContain('6093 2714');
    tmux('send-keys', '-t', name, 'Enter');
    expect(await exitStatus(statusFile)).toBe(0);
    const shown = JSON.parse(box.run(['show', 'bank', '--json']).stdout);
    expect(shown.codes.map((c: { code: string }) => c.code)).toEqual(['6093 2714', '1847 5520', '3372 9068']);
  });
});
