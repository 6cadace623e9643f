// A real terminal for the end-to-end tests: lifeboat runs in a tmux window on a tmux server of the test
// file's own, the test reads the screen back and types into it, and the exit status lands in a file.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BIN } from './cli.js';
import { requireTools } from './tools.js';

/** A window lifeboat was started in, and the file its exit status is written to. */
export interface Window {
  readonly name: string;
  readonly statusFile: string;
}

/** How a window is started: variables besides the vault's (the passphrase variable is always removed), and its size. */
export interface StartOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly columns?: number;
  readonly rows?: number;
}

export interface Terminal {
  /** Whether tmux is here; on CI it must be (requireTools). */
  readonly available: boolean;
  /** Runs a tmux command on this file's server. */
  tmux(...args: string[]): string;
  /** Starts lifeboat with `args` on the sandbox's vault, at the test key-derivation cost. */
  start(box: { readonly dir: string; readonly vault: string }, args: readonly string[], options?: StartOptions): Window;
  /** What the window shows now. */
  screen(name: string): string;
  /** Waits (up to 20 s) until the window shows `text`, or the predicate holds; returns the screen. */
  waitFor(name: string, text: string | ((shown: string) => boolean)): Promise<string>;
  /** Waits (up to 20 s) for the command's exit status. */
  exitStatus(statusFile: string): Promise<number>;
  /** Pastes text the way a terminal does: bracketed, when the program asked for it (`-p`). */
  paste(name: string, text: string): void;
  /** Ends the server and every window on it (afterAll). */
  close(): void;
}

const POLL_MS = 50;
const POLLS = 400;

/**
 * The terminal of one test file: its tmux server's socket is named after `label` and the process, so test
 * files running side by side never share windows. With `joinWrapped`, screens are read with the lines the
 * terminal wrapped joined again and trailing blanks trimmed, so a long message reads whole in a small window.
 */
export function terminal(label: string, options: { readonly joinWrapped?: boolean } = {}): Terminal {
  const available = requireTools(['tmux']);
  const socket = `lifeboat-${label}-${process.pid}`;
  let windows = 0;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const screen = (name: string): string =>
    options.joinWrapped
      ? tmux('capture-pane', '-p', '-J', '-t', name)
          .split('\n')
          .map((line) => line.trimEnd())
          .join('\n')
      : tmux('capture-pane', '-p', '-t', name);
  return {
    available,
    tmux,
    screen,
    start(box, args, { env = {}, columns = 100, rows = 30 } = {}) {
      windows += 1;
      const name = `w${windows}`;
      const statusFile = path.join(box.dir, `${name}.status`);
      const quoted = [process.execPath, BIN, ...args].map((arg) => `'${arg}'`).join(' ');
      const variables = Object.entries({ ...env, LIFEBOAT_VAULT: box.vault, LIFEBOAT_INSECURE_TEST_KDF: '1' })
        .map(([key, value]) => `${key}='${value}'`)
        .join(' ');
      const command = `env -u LIFEBOAT_PASSPHRASE ${variables} ${quoted}; echo $? > '${statusFile}'; sleep 30`;
      tmux('new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), command);
      return { name, statusFile };
    },
    async waitFor(name, text) {
      for (let i = 0; i < POLLS; i += 1) {
        const shown = screen(name);
        if (typeof text === 'string' ? shown.includes(text) : text(shown)) return shown;
        await sleep(POLL_MS);
      }
      throw new Error(`timed out waiting for "${String(text)}" in:\n${screen(name)}`);
    },
    async exitStatus(statusFile) {
      for (let i = 0; i < POLLS; i += 1) {
        if (fs.existsSync(statusFile) && fs.readFileSync(statusFile, 'utf8').trim() !== '') return Number(fs.readFileSync(statusFile, 'utf8'));
        await sleep(POLL_MS);
      }
      throw new Error('the command did not finish');
    },
    paste(name, text) {
      tmux('set-buffer', '-b', 'codes', text);
      tmux('paste-buffer', '-p', '-d', '-b', 'codes', '-t', name);
    },
    close() {
      if (available) spawnSync('tmux', ['-L', socket, 'kill-server']);
    },
  };
}
