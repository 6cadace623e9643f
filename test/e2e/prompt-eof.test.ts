// End-to-end on a real terminal (tmux): Ctrl+D (end of input) at any prompt is "cancelled", exit 130,
// nothing changed, like Ctrl+C (issue 11, finding 9). Before, readline closed the prompt without settling
// it and the process ended with status 0, as if all went well (DEPENDENCIES.md 4).
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PASSPHRASE, bytesOf, sandbox, type Sandbox } from '../support/cli.js';
import { terminal, type Window } from '../support/tmux.js';

const term = terminal('eof');
const run = term.available;
const { tmux, waitFor, exitStatus } = term;
let box: Sandbox;

/** Starts lifeboat in a fresh tmux window; its exit status lands in a file. */
const start = (args: string[]): Window => term.start(box, args);

beforeEach(() => {
  box = sandbox();
  expect(box.run(['init']).status).toBe(0);
  expect(box.run(['add', 'ig'], { input: '1111 2222\n3333 4444\n' }).status).toBe(0);
});
afterEach(() => box.cleanup());
afterAll(() => term.close());

describe.runIf(run)('Ctrl+D at a prompt', () => {
  it('at the passphrase prompt: cancelled, exit 130, nothing changed', async () => {
    const before = bytesOf(box.vault);
    const { name, statusFile } = start(['use', 'ig']);
    await waitFor(name, 'Passphrase');
    tmux('send-keys', '-t', name, 'C-d');
    expect(await exitStatus(statusFile)).toBe(130);
    expect(tmux('capture-pane', '-p', '-t', name)).toContain('lifeboat: error: cancelled: nothing was changed');
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('at a confirmation: cancelled, exit 130, nothing removed', async () => {
    const before = bytesOf(box.vault);
    const { name, statusFile } = start(['remove', 'ig']);
    await waitFor(name, 'Passphrase');
    tmux('send-keys', '-t', name, PASSPHRASE, 'Enter');
    await waitFor(name, 'Remove ig and its 2 unspent codes?');
    tmux('send-keys', '-t', name, 'C-d');
    expect(await exitStatus(statusFile)).toBe(130);
    expect(tmux('capture-pane', '-p', '-t', name)).toContain('cancelled: nothing was changed');
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('at the code prompt of spend: cancelled, exit 130, nothing spent', async () => {
    const before = bytesOf(box.vault);
    // The code is asked for first, then the passphrase (issue 9: inputs, then the passphrase).
    const { name, statusFile } = start(['spend', 'ig']);
    await waitFor(name, 'Code');
    tmux('send-keys', '-t', name, 'C-d');
    expect(await exitStatus(statusFile)).toBe(130);
    expect(tmux('capture-pane', '-p', '-t', name)).toContain('cancelled: nothing was changed');
    expect(bytesOf(box.vault)).toEqual(before);
  });
});
