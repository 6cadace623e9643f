import fs from 'node:fs';
import type tty from 'node:tty';

/**
 * The controlling terminal, opened as `/dev/tty`, so that prompts never read piped standard input
 * (which stays data) and never write to standard output (which stays data too).
 */
export interface Terminal {
  readonly input: tty.ReadStream;
  readonly output: tty.WriteStream;
  close(): void;
}

let present: boolean | undefined;

/** Whether this process has a controlling terminal to ask on (not under a pipe-only parent, cron or CI). */
export function hasTerminal(): boolean {
  if (present !== undefined) return present;
  if (process.platform === 'win32') return (present = process.stdin.isTTY === true && process.stderr.isTTY === true);
  try {
    fs.closeSync(fs.openSync('/dev/tty', 'r+'));
    present = true;
  } catch {
    present = false;
  }
  return present;
}

/**
 * Opens fresh streams on the terminal for one prompt. A prompt library closes its readline when it is done,
 * which leaves a shared stream unusable for the next prompt, so each prompt gets its own pair.
 */
export async function openTerminal(): Promise<Terminal | null> {
  if (!hasTerminal()) return null;
  if (process.platform === 'win32') {
    return { input: process.stdin as tty.ReadStream, output: process.stderr as tty.WriteStream, close() {} };
  }
  const { ReadStream, WriteStream } = await import('node:tty');
  const input = new ReadStream(fs.openSync('/dev/tty', 'r'));
  const output = new WriteStream(fs.openSync('/dev/tty', 'w'));
  return {
    input,
    output,
    close(): void {
      input.setRawMode(false);
      input.destroy();
      output.destroy();
    },
  };
}

/**
 * Writes text to the controlling terminal itself, not to standard error, so that codes shown for a
 * check never land in a redirected log. Does nothing without a terminal.
 */
export function tellTerminal(text: string): void {
  if (!hasTerminal()) return;
  if (process.platform === 'win32') {
    process.stderr.write(text);
    return;
  }
  const handle = fs.openSync('/dev/tty', 'w');
  try {
    fs.writeSync(handle, text);
  } finally {
    fs.closeSync(handle);
  }
}
