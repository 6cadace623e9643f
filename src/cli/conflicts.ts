import path from 'node:path';
import { describeNameClashes, describeSyncReport } from '../output/sync-text.js';
import type { ConflictCopy, ConflictOutcome, LeftCopy } from '../vault/index.js';

/**
 * The words for conflict copies beside the vault: what a save merged, what it left, and the notice a
 * read-only command gives. The vault room finds and merges them; this module only speaks.
 */

/** Where these messages go: the command context's `say` and `warn`. */
export interface Speaker {
  say(message: string): void;
  warn(message: string): void;
}

/** Why a copy was left where it is, in words. */
export function whyLeft(copy: LeftCopy): string {
  switch (copy.error.kind) {
    case 'wrong-passphrase':
      return 'it does not open with this passphrase (was the passphrase changed on one device?)';
    case 'damaged':
      return 'it is damaged or was tampered with';
    case 'not-a-vault':
      return 'it is not a lifeboat vault';
    default:
      return copy.error.message;
  }
}

/** Says what a save did with the conflict copies. */
export function sayConflictOutcome(speaker: Speaker, outcome: ConflictOutcome): void {
  for (const copy of outcome.merged) {
    speaker.say(`merged the ${copy.tool} conflict copy ${path.basename(copy.path)}: ${describeSyncReport(copy.report)}; removed the copy`);
    for (const line of describeNameClashes(copy.report)) speaker.warn(line);
  }
  for (const copy of outcome.left) {
    speaker.warn(`left the conflict copy ${copy.path} where it is: ${whyLeft(copy)}`);
  }
  if (outcome.left.some((copy) => copy.error.kind === 'wrong-passphrase')) {
    speaker.warn('to merge a copy with another passphrase, run `lifeboat merge --conflicts` and give that passphrase when asked (or in LIFEBOAT_OTHER_PASSPHRASE)');
  }
}

/** The notice of a command that did not write: copies exist, and how to merge them. */
export function noticeConflictCopies(speaker: Speaker, copies: readonly ConflictCopy[]): void {
  if (copies.length === 0) return;
  const names = copies.map((copy) => path.basename(copy.path)).join(', ');
  speaker.warn(
    `${copies.length === 1 ? 'a conflict copy' : `${copies.length} conflict copies`} of the vault from a sync tool ${copies.length === 1 ? 'is' : 'are'} beside it (${names}): run \`lifeboat merge --conflicts\` to merge ${copies.length === 1 ? 'it' : 'them'} (the next change merges ${copies.length === 1 ? 'it' : 'them'} too)`,
  );
}
