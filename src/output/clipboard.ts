/**
 * The clipboard channel: check that a clipboard is there, copy a code to it, and have it cleared after a delay.
 *
 * The only importer of clipboardy. Like every channel it reads nothing from `process`: the caller passes the delay,
 * the environment values for the clearer, the clearer's entry point and the state folder. (clipboardy itself looks at
 * `DISPLAY`/`WAYLAND_DISPLAY` in the environment of the process it runs in; that is the library's business, not ours.)
 *
 * Clipboard managers: this channel cannot ask them to skip the copy. clipboardy 5 offers text only: on X11 it pipes the
 * text into `xsel --clipboard --input` (one text target, no way to add the KDE `x-kde-passwordManagerHint` target), on
 * Wayland into `wl-copy --type text/plain` with fixed arguments (so not even `wl-copy --sensitive` where it exists), and
 * on macOS into `pbcopy` (plain text, no `org.nspasteboard.ConcealedType`). A manager that keeps a history (Klipper,
 * CopyQ, GPaste, Maccy, Windows clipboard history) may therefore keep the code even after lifeboat clears the clipboard.
 */
import type Clipboardy from 'clipboardy';
import {
  generationFile,
  newGeneration,
  startClearer,
  type ClearerLaunch,
} from './clipboard-clear.js';

export {
  generationFile,
  parseClearRequest,
  runClearer,
  type ClearerEnvSource,
  type ClearerLaunch,
  type ClearOutcome,
  type ClearRequest,
  type GenerationStore,
} from './clipboard-clear.js';

/** A system clipboard: the clipboardy one in production, an in-memory one in tests. Text in, text out. */
export interface ClipboardBackend {
  /** The clipboard's text; an empty clipboard reads as `''`. */
  read(): Promise<string>;
  /** Replaces the clipboard's content with `text`; `''` clears it. */
  write(text: string): Promise<void>;
}

/**
 * The real clipboard, through clipboardy (xsel or its bundled copy on X11, wl-clipboard on Wayland, pbcopy on macOS).
 * clipboardy is loaded on first use, so commands that never copy do not pay for it. Errors are clipboardy's own; let
 * {@link probeClipboard} and {@link copy} turn them into a {@link ClipboardUnavailableError}.
 */
export function clipboardyBackend(): ClipboardBackend {
  let loaded: Promise<typeof Clipboardy> | undefined;
  const clipboard = (): Promise<typeof Clipboardy> => (loaded ??= import('clipboardy').then((m) => m.default));
  return {
    async read() {
      return (await clipboard()).read();
    },
    async write(text) {
      await (await clipboard()).write(text);
    },
  };
}

/** Why the clipboard cannot be used, in words for the user, and what to do instead. */
export interface ClipboardProblem {
  /** Lower-case, no final period, no library message or stack. */
  readonly reason: string;
  /** Names the flag or tool that gets the user going. */
  readonly hint: string;
}

/** The answer of {@link probeClipboard}. */
export type ClipboardProbe = { readonly available: true } | ({ readonly available: false } & ClipboardProblem);

/** The clipboard cannot be used; `message` is the reason, `hint` what to do. The original error is the `cause`. */
export class ClipboardUnavailableError extends Error {
  override readonly name = 'ClipboardUnavailableError';
  readonly reason: string;
  readonly hint: string;

  constructor(problem: ClipboardProblem, options?: { readonly cause?: unknown }) {
    super(problem.reason, options);
    this.reason = problem.reason;
    this.hint = problem.hint;
  }
}

const PRINT_INSTEAD = 'run without --copy to print the code instead';

/**
 * Turns whatever a clipboard tool threw into words for the user. clipboardy's own message can mislead (with no system
 * xsel it blames the missing binary even when the real trouble is the missing display), so the display check comes
 * first and looks at the stderr of both the system xsel and the bundled one.
 */
export function describeClipboardFailure(error: unknown): ClipboardProblem {
  const parts = [error, field(error, 'xselError'), field(error, 'fallbackError')];
  const texts = parts.flatMap((part) => [field(part, 'message'), field(part, 'stderr')]).filter(isText);
  const all = texts.join('\n');
  if (/can't open display|requires a display server|inappropriate ioctl|failed to connect to (a )?wayland/i.test(all)) {
    return {
      reason: 'no display server for the clipboard (DISPLAY and WAYLAND_DISPLAY are unset or unreachable)',
      hint: `${PRINT_INSTEAD}; copying needs a graphical session`,
    };
  }
  if (parts.some((part) => field(part, 'code') === 'ENOENT') || /couldn't find the `[^`]+` binary/i.test(all)) {
    return {
      reason: 'no clipboard tool found (xsel, wl-clipboard or pbcopy)',
      hint: `${PRINT_INSTEAD}, or install xsel (X11) or wl-clipboard (Wayland)`,
    };
  }
  const stderr = parts.map((part) => field(part, 'stderr')).find(isText);
  const detail = stderr?.split('\n').map((line) => line.trim()).find((line) => line !== '');
  return {
    reason: detail === undefined ? 'the clipboard tool failed' : `the clipboard tool failed: ${detail.slice(0, 160)}`,
    hint: PRINT_INSTEAD,
  };
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * Checks that the clipboard can be used, before any code is marked spent. It only reads: a test write would clobber
 * what the user has copied. A read is a fair test on every backend clipboardy has: on X11 it needs the same display
 * connection and the same xsel as a write (and an empty clipboard with no owner reads fine as `''`), on Wayland the
 * same compositor, and without a display it fails. A write can still fail after a good probe (the display went away);
 * {@link copy} reports that as a {@link ClipboardUnavailableError} so the caller can undo.
 */
export async function probeClipboard(backend: ClipboardBackend): Promise<ClipboardProbe> {
  try {
    await backend.read();
    return { available: true };
  } catch (error) {
    return { available: false, ...describeClipboardFailure(error) };
  }
}

/** How {@link copy} clears up: after `delaySeconds` (0 = never), by a clearer started as `launch` says. */
export interface CopyPlan extends ClearerLaunch {
  /** Seconds until the clear (the CLI reads `LIFEBOAT_CLIP_TIME`, default 30); 0 turns the clear off. */
  readonly delaySeconds: number;
}

/** What {@link copy} did, for the message to the user ("cleared in 30 s") and for tests. */
export interface CopyReceipt {
  /** Seconds until the clear, or null when clearing is off. */
  readonly clearsAfterSeconds: number | null;
  /** The detached clearer's pid, or null when clearing is off. */
  readonly clearerPid: number | null;
}

/**
 * Copies `text` to the clipboard and schedules its clear. In order: a new generation token is written to the state
 * folder (so any older pending clear gives way, even with the same text and even when clearing is now off); the text
 * is written; the detached clearer is started. Throws {@link ClipboardUnavailableError} if the copy did not happen, in
 * which case the text is not on the clipboard and the caller should undo whatever it did for this copy (such as
 * marking the code spent): the older pending clear is restored when the write fails, and the text is wiped again when
 * the clearer cannot be started. Throws `RangeError` for a negative or non-finite delay (a caller bug).
 *
 * Clipboard managers are not told to skip the copy: clipboardy cannot (see this module's comment).
 */
export async function copy(backend: ClipboardBackend, text: string, plan: CopyPlan): Promise<CopyReceipt> {
  if (!Number.isFinite(plan.delaySeconds) || plan.delaySeconds < 0) {
    throw new RangeError(`clipboard clear delay must be a number of seconds ≥ 0, got ${plan.delaySeconds}`);
  }
  const generations = generationFile(plan.stateDir);
  const previous = await generations.read();
  const generation = newGeneration();
  try {
    await generations.write(generation);
  } catch (error) {
    throw new ClipboardUnavailableError(
      {
        reason: `cannot record the pending clipboard clear in ${plan.stateDir}`,
        hint: `${PRINT_INSTEAD}, or make that folder writable`,
      },
      { cause: error },
    );
  }
  try {
    await backend.write(text);
  } catch (error) {
    await restoreGeneration(plan.stateDir, generation, previous);
    throw new ClipboardUnavailableError(describeClipboardFailure(error), { cause: error });
  }
  if (plan.delaySeconds === 0) return { clearsAfterSeconds: null, clearerPid: null };
  try {
    const pid = await startClearer({ ...plan, text, generation });
    return { clearsAfterSeconds: plan.delaySeconds, clearerPid: pid };
  } catch (error) {
    // Without a clearer the code would stay on the clipboard for good: take it back and report the copy as failed.
    await backend.write('').catch(() => undefined);
    throw new ClipboardUnavailableError(
      { reason: 'could not start the clipboard clearer', hint: `${PRINT_INSTEAD}, or set LIFEBOAT_CLIP_TIME=0` },
      { cause: error },
    );
  }
}

/** Puts the older token back, unless yet another copy has written its own meanwhile. Best effort. */
async function restoreGeneration(stateDir: string, ours: string, previous: string | null): Promise<void> {
  const generations = generationFile(stateDir);
  try {
    if ((await generations.read()) !== ours) return;
    if (previous === null) await generations.remove();
    else await generations.write(previous);
  } catch {
    // The older clearer then gives way too early; the clipboard check still protects the user's own copies.
  }
}
