import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { privateFolder } from '../vault/index.js';
import type { CommandContext } from './context.js';
import { CliError, UsageError } from './errors.js';
import type { Settings } from './settings.js';

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
