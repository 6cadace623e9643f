import fs from 'node:fs';
import tty from 'node:tty';

/**
 * The controlling terminal, opened as `/dev/tty`, so that prompts never read piped standard input
 * (which stays data) and never write to standard output (which stays data too).
 */
export interface Terminal {
  readonly input: tty.ReadStream;
  readonly output: tty.WriteStream;
  close(): void;
}

let opened: Terminal | null | undefined;

/** Opens the controlling terminal once; null when the process has none (a pipe, cron, CI). */
export function controllingTerminal(): Terminal | null {
  if (opened !== undefined) return opened;
  if (process.platform === 'win32') {
    opened = process.stdin.isTTY && process.stderr.isTTY ? { input: process.stdin as tty.ReadStream, output: process.stderr as tty.WriteStream, close() {} } : null;
    return opened;
  }
  try {
    const inFd = fs.openSync('/dev/tty', 'r');
    const outFd = fs.openSync('/dev/tty', 'w');
    const input = new tty.ReadStream(inFd);
    const output = new tty.WriteStream(outFd);
    opened = {
      input,
      output,
      close(): void {
        input.destroy();
        output.destroy();
      },
    };
  } catch {
    opened = null;
  }
  return opened;
}

/** Closes the terminal if it was opened, so the process can exit. */
export function closeTerminal(): void {
  opened?.close();
  opened = undefined;
}
