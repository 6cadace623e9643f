import { DEFAULT_IDLE_MS, MAX_SESSION_MS } from '../agent-protocol.js';
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { endSession, requireRuntime, startSession, type SessionTiming } from '../session.js';

/** Options of `lifeboat unlock`. */
export interface UnlockOptions {
  readonly for?: string;
}

const UNITS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000 };

/**
 * Reads a duration such as `90s`, `30m`, `2h` or `1h30m`, from one second to the 8-hour cap.
 * Throws a UsageError naming `--for` otherwise.
 */
export function parseDuration(text: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  const [, hours, minutes, secs] = match ?? [];
  const ms = (Number(hours ?? 0) * UNITS['h']!) + (Number(minutes ?? 0) * UNITS['m']!) + (Number(secs ?? 0) * UNITS['s']!);
  if (!match || text.trim() === '' || ms < 1000 || ms > MAX_SESSION_MS) {
    throw new UsageError(`--for takes a duration from 1s to 8h such as 30m, 2h or 1h30m (got "${text}")`, 'write it as hours, minutes and seconds: 2h, 45m, 1h30m, 90s');
  }
  return ms;
}

function clock(date: Date): string {
  return date.toTimeString().slice(0, 8);
}

/**
 * `lifeboat unlock [--for DURATION]`: asks for the passphrase once, then leaves the vault's derived key with a
 * background agent, so that commands on this vault do not ask again until the session ends: after 15 minutes
 * without use (or exactly DURATION after the unlock, with --for), at the latest after 8 hours, or on `lock`.
 */
export async function unlock(context: CommandContext, options: UnlockOptions): Promise<void> {
  const timing: SessionTiming = options.for === undefined
    ? { idleMs: DEFAULT_IDLE_MS, lifetimeMs: MAX_SESSION_MS }
    : { idleMs: parseDuration(options.for), lifetimeMs: parseDuration(options.for) };
  requireRuntime(context.settings);
  const vault = await context.open({ session: false });
  let until: Date;
  try {
    until = await startSession(context.settings, vault.path, vault.sessionKeys(), timing);
  } finally {
    vault.close();
  }
  const how = options.for === undefined
    ? `until ${clock(until)}, 15 minutes after its last use (8 hours at most)`
    : `until ${clock(until)}`;
  context.say(`unlocked ${vault.path} ${how}; \`lifeboat lock\` ends it sooner`);
}

/** `lifeboat lock`: ends the unlock session now; the agent forgets the key and exits. */
export async function lock(context: CommandContext): Promise<void> {
  const ended = await endSession(context.settings, { strict: true });
  context.say(ended ? 'locked: the unlock session ended and its key is forgotten' : 'no unlock session was open');
}
