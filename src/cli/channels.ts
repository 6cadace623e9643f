import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { privateFolder } from '../vault/index.js';
import type { CommandContext } from './context.js';
import { Cancelled, CliError, UsageError } from './errors.js';
import type { Settings } from './settings.js';
import { openTerminal } from './terminal.js';

/**
 * The clipboard and the terminal QR, as commands use them. The channel modules are loaded only here,
 * and only when a command asks for them, so plain `use` never loads clipboardy or the QR encoder.
 */

/** The clearer's entry point, beside this module once compiled (dist/cli/clipboard-clearer.js). */
const CLEARER_ENTRY = fileURLToPath(new URL('./clipboard-clearer.js', import.meta.url));

/** A clipboard that was checked to work, ready to take one copy. */
export interface Clipboard {
  copy(text: string): Promise<number | null>;
  read(): Promise<string>;
  clear(): Promise<void>;
}

/**
 * Checks that the clipboard works before anything is marked spent, and returns a handle to copy with.
 * Throws exit 1 with a hint (print instead, or install the tool) when there is none.
 */
export async function openClipboard(context: CommandContext): Promise<Clipboard> {
  const { clipboardyBackend, probeClipboard, copy, ClipboardUnavailableError } = await import('../output/clipboard.js');
  const backend = clipboardyBackend();
  const probe = await probeClipboard(backend);
  if (!probe.available) throw new CliError(probe.reason, { hint: probe.hint });
  const stateDir = clearerFolder(context.settings);
  return {
    async copy(text) {
      try {
        const receipt = await copy(backend, text, {
          delaySeconds: context.settings.clipSeconds,
          execPath: process.execPath,
          entry: CLEARER_ENTRY,
          env: context.settings.childEnvironment,
          stateDir,
        });
        return receipt.clearsAfterSeconds;
      } catch (error) {
        if (error instanceof ClipboardUnavailableError) throw new CliError(error.reason, { hint: error.hint });
        throw error;
      }
    },
    read: () => backend.read(),
    clear: () => backend.write(''),
  };
}

/**
 * The private folder for the clearer's generation file: `$XDG_RUNTIME_DIR/lifeboat` when XDG_RUNTIME_DIR is an
 * absolute path (a per-login tmpfs), else the private state folder; either is created 0700 and checked for owner and
 * mode. Never the vault's folder, which other accounts may be able to write (issue 11, finding 4): whoever can write
 * the generation file can stop the clipboard from being cleared.
 */
function clearerFolder(settings: Settings): string {
  const runtime = settings.runtimeDir;
  const base = runtime !== undefined && path.isAbsolute(runtime) ? path.join(runtime, 'lifeboat') : settings.stateBase;
  if (base instanceof UsageError) throw base;
  return privateFolder(base);
}

/** The words after a copy: when the clipboard clears, if it does. */
export function clearNote(seconds: number | null): string {
  return seconds === null ? 'LIFEBOAT_CLIP_TIME=0: the clipboard is not cleared' : `the clipboard clears in ${seconds} s`;
}

/** Refuses a QR code when standard output is not a terminal (it would land in a file or a pipe). */
export function checkQrTarget(context: CommandContext, force: boolean | undefined): void {
  if (!context.io.stdoutIsTty && !force) {
    throw new UsageError('a QR code is drawn for a terminal, and standard output is not one', 'add --force to write it anyway');
  }
}

/** Draws text as a QR code on standard output, and waits until it was written. */
export async function drawQr(context: CommandContext, text: string): Promise<void> {
  const { qrTerminal, QrTooLongError } = await import('../output/qr.js');
  try {
    await context.deliver(qrTerminal(text));
  } catch (error) {
    if (error instanceof QrTooLongError) throw new CliError('these codes are too long for one QR code', { hint: 'use --copy, or print them' });
    throw error;
  }
}

/** The size of the terminal standard output is drawn on, or null when it is not one. */
function screenSize(context: CommandContext): { columns: number; rows: number } | null {
  const stream = context.io.stdout as { isTTY?: boolean; columns?: number; rows?: number };
  if (!context.io.stdoutIsTty || !stream.columns || !stream.rows) return null;
  return { columns: stream.columns, rows: stream.rows };
}

/** Waits for one key on the terminal; Ctrl+C (or no terminal to read) cancels. */
async function waitForKey(): Promise<void> {
  const terminal = await openTerminal();
  if (!terminal) return;
  try {
    terminal.input.setRawMode(true);
    const key = await new Promise<string>((resolve) => terminal.input.once('data', (data: Buffer) => resolve(data.toString('latin1'))));
    if (key === '\u0003') throw new Cancelled();
  } finally {
    terminal.close();
  }
}

/**
 * Draws codes, one per line, as QR codes that fit the terminal: all in one when they fit, else in several,
 * one screen at a time (any key shows the next), each holding as many whole codes as fit. When the
 * terminal is too small for even one code, says so. Standard output that is not a terminal (`--force`)
 * gets one QR code of all of them.
 */
export async function drawQrScreens(context: CommandContext, codes: readonly string[]): Promise<void> {
  const size = screenSize(context);
  if (!size) return drawQr(context, codes.join('\n'));
  const { qrTerminal, QrTooLongError } = await import('../output/qr.js');
  // Two rows are kept for the line under the QR code and the cursor.
  const drawn = (text: string): string | null => {
    try {
      const qr = qrTerminal(text);
      const lines = qr.trimEnd().split('\n');
      return lines.length + 2 <= size.rows && Math.max(...lines.map((line) => [...line].length)) <= size.columns ? qr : null;
    } catch (error) {
      if (error instanceof QrTooLongError) return null;
      throw error;
    }
  };
  const screens: { qr: string; first: number; last: number }[] = [];
  let start = 0;
  while (start < codes.length) {
    let end = start + 1;
    let qr = drawn(codes.slice(start, end).join('\n'));
    if (qr === null) {
      const needed = qrTerminal(codes[start] ?? '').trimEnd().split('\n');
      const width = Math.max(...needed.map((line) => [...line].length));
      throw new CliError(
        `the terminal is too small for a QR code of even one code: it needs ${width} columns and ${needed.length + 2} rows, and has ${size.columns} and ${size.rows}`,
        { hint: 'enlarge the window or make its font smaller, or use --copy' },
      );
    }
    while (end < codes.length) {
      const more = drawn(codes.slice(start, end + 1).join('\n'));
      if (more === null) break;
      qr = more;
      end += 1;
    }
    screens.push({ qr, first: start + 1, last: end });
    start = end;
  }
  for (const [index, screen] of screens.entries()) {
    if (screens.length > 1) context.io.stdout.write('\u001b[H\u001b[2J');
    context.out(screen.qr);
    if (screens.length === 1) return;
    const which = screen.first === screen.last ? `code ${screen.first}` : `codes ${screen.first}-${screen.last}`;
    const more = index + 1 < screens.length ? ': press any key for the next' : '';
    context.io.stderr.write(`QR ${index + 1} of ${screens.length} (${which} of ${codes.length})${more}\n`);
    if (more) await waitForKey();
  }
}
