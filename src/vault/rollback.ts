import { readPrivateFile, writePrivateFile } from './private-state.js';

/**
 * What this device last saw of a vault, kept in its private state folder, never beside the vault
 * (docs/vault-format.md, section 10, "Rollback"): the vault's clock, and which codes were spent, named by
 * batch id and position only (never a code). A copy whose clock is behind it went back in time.
 */
export interface SeenState {
  readonly clock: Readonly<Record<string, number>>;
  /** `<batch id>:<position>` of every code this device saw spent. */
  readonly spent: readonly string[];
}

/**
 * The cap on a state file: it names every spent code of the vault (about 40 bytes each), so a vault of
 * 100,000 spent codes needs 4 MB; a larger file is refused rather than read.
 */
const SEEN_MAX_BYTES = 16 * 1024 * 1024;

/** The state file of one vault: named by a hash of its real path (FNV-1a, 64 bits), so no path is kept. */
function fileName(vaultFile: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(vaultFile)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return `seen-${hash.toString(16).padStart(16, '0')}.json`;
}

/** What this device last saw of the vault at `vaultFile`, or null (never seen, or an unreadable file). */
export function readSeen(folder: string, vaultFile: string): SeenState | null {
  const bytes = readPrivateFile(folder, fileName(vaultFile), SEEN_MAX_BYTES);
  if (!bytes) return null;
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    if (typeof value !== 'object' || value === null) return null;
    const { clock, spent } = value as { clock?: unknown; spent?: unknown };
    if (typeof clock !== 'object' || clock === null || !Array.isArray(spent)) return null;
    const counters: Record<string, number> = {};
    for (const [device, counter] of Object.entries(clock)) {
      if (/^[0-9a-f]{16}$/.test(device) && typeof counter === 'number' && Number.isSafeInteger(counter)) counters[device] = counter;
    }
    return { clock: counters, spent: spent.filter((key): key is string => typeof key === 'string' && key.length <= 80) };
  } catch {
    return null;
  }
}

/** Records what this device has now seen of the vault at `vaultFile`. */
export function writeSeen(folder: string, vaultFile: string, state: SeenState): void {
  writePrivateFile(folder, fileName(vaultFile), new TextEncoder().encode(`${JSON.stringify({ clock: state.clock, spent: state.spent })}\n`), SEEN_MAX_BYTES);
}
