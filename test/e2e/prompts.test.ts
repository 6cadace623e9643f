// End-to-end on a real terminal (tmux): prompts that forgive (issue 9, "Prompts and messages" and "Proof"):
// three passphrase tries, pre-checks before any prompt, new passphrases asked again, a weak one confirmed,
// and `edit` with its prompts prefilled.
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeQr, requireTools as requireImageTools, writePgm } from '../support/chromium.js';
import { bytesOf, sandbox, type Sandbox } from '../support/cli.js';
import { terminal, type Window } from '../support/tmux.js';

const term = terminal('prompts', { joinWrapped: true });
const run = term.available;
const { tmux, waitFor, exitStatus, screen } = term;
let box: Sandbox;

/** Starts lifeboat in a fresh tmux window with no passphrase variable; its exit status lands in a file. */
const start = (args: string[], size: { columns: number; rows: number } = { columns: 100, rows: 30 }): Window => term.start(box, args, size);
const RIGHT = 'correct horse battery staple';

/** Counts the prompts with this label on the screen. */
function count(shown: string, label: RegExp): number {
  return shown.split('\n').filter((line) => label.test(line)).length;
}

beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());
afterAll(() => term.close());

describe.runIf(run)('passphrase tries on a terminal', () => {
  beforeEach(() => {
    expect(box.run(['init']).status).toBe(0);
    expect(box.run(['add', 'ig'], { input: '1111 2222\n3333 4444\n5555 6666\n' }).status).toBe(0);
  });

  it('a mistyped passphrase is asked again, and the code typed before it is not lost', async () => {
    const { name, statusFile } = start(['spend', 'ig']);
    await waitFor(name, 'Code');
    tmux('send-keys', '-t', name, '3333 4444', 'Enter');
    await waitFor(name, 'Passphrase');
    tmux('send-keys', '-t', name, 'wrong one', 'Enter');
    await waitFor(name, 'lifeboat: wrong passphrase: try again');
    tmux('send-keys', '-t', name, RIGHT, 'Enter');
    expect(await exitStatus(statusFile)).toBe(0);
    expect(screen(name)).toContain('marked a code of ig as spent');
    const shown = JSON.parse(box.run(['show', 'ig', '--json']).stdout) as { codes: { state: string }[] };
    expect(shown.codes.map((code) => code.state)).toEqual(['unspent', 'spent', 'unspent']);
  });

  it('three wrong tries end with exit 3, like sudo, and change nothing', async () => {
    const before = bytesOf(box.vault);
    const { name, statusFile } = start(['use', 'ig']);
    for (let i = 1; i <= 3; i += 1) {
      await waitFor(name, (shown: string) => count(shown, /Passphrase/) === i);
      tmux('send-keys', '-t', name, `wrong ${i}`, 'Enter');
    }
    expect(await exitStatus(statusFile)).toBe(3);
    const shown = screen(name);
    expect(count(shown, /wrong passphrase: try again/)).toBe(2);
    expect(shown).toContain('lifeboat: error: wrong passphrase');
    expect(bytesOf(box.vault)).toEqual(before);
  });
});

describe.runIf(run)('checks before any prompt, on a terminal', () => {
  it('no vault: the error comes at once, with no prompt for a code or a passphrase', async () => {
    const { name, statusFile } = start(['spend', 'ig']);
    expect(await exitStatus(statusFile)).toBe(1);
    const shown = screen(name);
    expect(shown).toContain(`lifeboat: error: no vault at ${box.vault}`);
    expect(shown).not.toMatch(/Code|Passphrase/);
  });
});

describe.runIf(run)('new passphrases on a terminal', () => {
  it('two that differ are asked again; the second pair that matches creates the vault', async () => {
    const { name, statusFile } = start(['init']);
    const strong = 'tidy otter juggles 41 plums';
    await waitFor(name, 'New passphrase');
    tmux('send-keys', '-t', name, strong, 'Enter');
    await waitFor(name, 'New passphrase (again)');
    tmux('send-keys', '-t', name, `${strong}!`, 'Enter');
    await waitFor(name, 'the two passphrases differ: try again');
    await waitFor(name, (shown: string) => count(shown, /New passphrase/) === 3);
    tmux('send-keys', '-t', name, strong, 'Enter');
    await waitFor(name, (shown: string) => count(shown, /New passphrase \(again\)/) === 2);
    tmux('send-keys', '-t', name, strong, 'Enter');
    expect(await exitStatus(statusFile)).toBe(0);
    expect(box.run(['list'], { env: { LIFEBOAT_PASSPHRASE: strong } }).status).toBe(0);
  });

  it('a weak one gets a warning and a question; "no" asks again', async () => {
    const { name, statusFile } = start(['init']);
    await waitFor(name, 'New passphrase');
    tmux('send-keys', '-t', name, 'password1', 'Enter');
    const warned = await waitFor(name, 'Use it anyway?');
    expect(warned).toContain('lifeboat: warning: this passphrase is weak: it is only 9 characters long (at least 10 recommended)');
    tmux('send-keys', '-t', name, 'n', 'Enter');
    await waitFor(name, (shown: string) => count(shown, /New passphrase/) === 2);
    tmux('send-keys', '-t', name, 'qwerty123456', 'Enter');
    await waitFor(name, 'it looks easy to guess');
    tmux('send-keys', '-t', name, 'y', 'Enter');
    await waitFor(name, 'New passphrase (again)');
    tmux('send-keys', '-t', name, 'qwerty123456', 'Enter');
    expect(await exitStatus(statusFile)).toBe(0);
    expect(box.run(['list'], { env: { LIFEBOAT_PASSPHRASE: 'qwerty123456' } }).status).toBe(0);
  });
});

describe.runIf(run)('edit on a terminal', () => {
  it('asks for each detail with today\'s value typed in: Enter keeps, an emptied line clears, a new value sets', async () => {
    expect(box.run(['init']).status).toBe(0);
    expect(box.run(['add', 'github'], { input: 'a1b2c-3d4e5\nf6a7b-8c9d0\n' }).status).toBe(0);
    expect(box.run(['edit', 'github', '--service', 'GitHub', '--username', 'ada', '--note', 'old laptop']).status).toBe(0);
    const { name, statusFile } = start(['edit', 'github']);
    await waitFor(name, 'Passphrase');
    tmux('send-keys', '-t', name, RIGHT, 'Enter');
    await waitFor(name, 'Service: GitHub');
    tmux('send-keys', '-t', name, 'Enter');
    await waitFor(name, 'Username: ada');
    tmux('send-keys', '-t', name, 'C-u', 'ada@example.org', 'Enter');
    await waitFor(name, 'Note: old laptop');
    tmux('send-keys', '-t', name, 'C-u', 'Enter');
    expect(await exitStatus(statusFile)).toBe(0);
    expect(screen(name)).toContain('lifeboat: github: set the username to "ada@example.org", cleared the note');
    const shown = JSON.parse(box.run(['show', 'github', '--json']).stdout) as Record<string, unknown>;
    expect([shown['service'], shown['username'], shown['note']]).toEqual(['GitHub', 'ada@example.org', null]);
  });
});

/** The QR code drawn on a captured screen (half blocks, light modules as blocks), read back with zbarimg. */
function readQr(shown: string, file: string): string[] {
  const lines = shown.split('\n').filter((line) => /[\u2580\u2584\u2588]/.test(line));
  const cells: boolean[][] = [];
  for (const line of lines) {
    const top: boolean[] = [];
    const bottom: boolean[] = [];
    for (const char of line) {
      top.push(!(char === '\u2588' || char === '\u2580'));
      bottom.push(!(char === '\u2588' || char === '\u2584'));
    }
    cells.push(top, bottom);
  }
  writePgm(file, cells, 6);
  return decodeQr(file);
}

describe.runIf(run && requireImageTools(['zbarimg']))('show --qr on a small terminal', () => {
  const codes = ['1234 5678', '2345 6789', '3456 7890', '4567 8901', '5678 9012'];
  beforeEach(() => {
    expect(box.run(['init']).status).toBe(0);
    expect(box.run(['add', 'ig'], { input: codes.join('\n') }).status).toBe(0);
  });

  it('draws the unspent codes in several QR codes, one screen at a time; each scans', async () => {
    const { name, statusFile } = start(['show', 'ig', '--qr'], { columns: 40, rows: 17 });
    await waitFor(name, 'Passphrase');
    tmux('send-keys', '-t', name, RIGHT, 'Enter');
    const read: string[] = [];
    for (const [index, expected] of ['QR 1 of 3 (codes 1-2 of 5): press any key for the next', 'QR 2 of 3 (codes 3-4 of 5): press any key for the next', 'QR 3 of 3 (code 5 of 5)'].entries()) {
      const shown = await waitFor(name, expected);
      read.push(...readQr(shown, path.join(box.dir, `qr-${index}.pgm`)));
      if (index < 2) tmux('send-keys', '-t', name, 'Space');
    }
    expect(await exitStatus(statusFile)).toBe(0);
    expect(read.join('\n')).toBe(codes.join('\n'));
  }, 60_000);

  it('says why not when even one code does not fit', async () => {
    const { name, statusFile } = start(['show', 'ig', '--qr'], { columns: 20, rows: 10 });
    await waitFor(name, 'Passphrase');
    tmux('send-keys', '-t', name, RIGHT, 'Enter');
    expect(await exitStatus(statusFile)).toBe(1);
    // The message is longer than this window: read it with the lines that scrolled away.
    const history = tmux('capture-pane', '-p', '-J', '-S', '-100', '-t', name);
    expect(history).toContain('lifeboat: error: the terminal is too small for a QR code of even one code: it needs 25 columns and 15 rows, and has 20 and 10');
  });
});
