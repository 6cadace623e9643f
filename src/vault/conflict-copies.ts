import fs from 'node:fs';
import path from 'node:path';
import type { SyncReport, VaultContent } from '../domain/index.js';
import type { VaultError } from './errors.js';
import type { KdfCost } from './format.js';

/**
 * Conflict copies: the files a sync tool writes beside the vault when two devices changed it while apart.
 * This module only finds them; what to do with them (merge, warn) is decided by its callers.
 *
 * Each pattern below is taken from the tool's own source or documentation, cited beside it. For a vault
 * named `NAME.EXT` (the extension starts at the last dot, as the tools split it), each pattern is the part
 * a tool puts between `NAME` and `.EXT`. Tools whose naming could not be checked in a source are left out.
 */

/** The tool that named a conflict copy. */
export type ConflictTool = 'syncthing' | 'nextcloud' | 'owncloud' | 'dropbox' | 'seafile';

/** A conflict copy found beside a vault. */
export interface ConflictCopy {
  /** The copy's full path. */
  readonly path: string;
  /** The tool whose naming it follows. */
  readonly tool: ConflictTool;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The name split as the tools split it: the extension starts at the last dot that is not the first character. */
function splitName(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? { stem: name.slice(0, dot), ext: name.slice(dot) } : { stem: name, ext: '' };
}

/** The patterns, in the order they are tried; each is the middle part between `NAME` and `.EXT`. */
const PATTERNS: readonly { readonly tool: ConflictTool; readonly middle: string }[] = [
  // Syncthing, lib/model/folder_sendrecv.go, conflictName():
  //   name[:len(name)-len(ext)] + time.Now().Format(".sync-conflict-20060102-150405-") + lastModBy + ext
  // where lastModBy is the short device id of the losing side (seven base32 characters), e.g.
  // vault.sync-conflict-20261202-101500-ABCDEF1.lifeboat. Checked against the real thing by
  // test/e2e/syncthing.test.ts.
  { tool: 'syncthing', middle: String.raw`\.sync-conflict-\d{8}-\d{6}-[A-Za-z0-9]+` },
  // Nextcloud and ownCloud desktop clients, src/common/utility.cpp, Utility::makeConflictFileName():
  //   " (conflicted copy " + [sanitized user name with parentheses replaced, + " "] + dt.toString("yyyy-MM-dd hhmmss") + ")"
  // inserted before the extension, e.g. "vault (conflicted copy 2026-12-02 101500).lifeboat" or, in newer
  // clients, "vault (conflicted copy alice 2026-12-02 101500).lifeboat".
  { tool: 'nextcloud', middle: String.raw` \(conflicted copy (?:[^()/]+ )?\d{4}-\d{2}-\d{2} \d{6}\)` },
  // The same file's Utility::isConflictFile() still recognizes the older ownCloud tag "_conflict-" (written as
  // "_conflict-yyyyMMdd-hhmmss" before the extension), e.g. "vault_conflict-20261202-101500.lifeboat".
  { tool: 'owncloud', middle: String.raw`_conflict-\d{8}-\d{6}` },
  // Dropbox, help article "What's a conflicted copy?" (dropbox.com/help/36): the copy has "the same name but
  // is appended with 'conflicted copy', the name of the person or computer responsible, and the date", e.g.
  // "vault (Alice's MacBook's conflicted copy 2026-12-02).lifeboat", and a number when there are several:
  // "vault (Alice's MacBook's conflicted copy 2026-12-02 (1)).lifeboat".
  { tool: 'dropbox', middle: String.raw` \([^()/]+ conflicted copy \d{4}-\d{2}-\d{2}(?: \(\d+\))?\)` },
  // Seafile, common/vc-common.c, gen_conflict_path():
  //   "%s (SFConflict %s %s).%s" with the modifier (an e-mail address) and strftime "%Y-%m-%d-%H-%M-%S",
  // or "%s (SFConflict %s).%s" without a modifier, e.g. "vault (SFConflict alice@example.com 2026-12-02-10-15-00).lifeboat".
  { tool: 'seafile', middle: String.raw` \(SFConflict (?:[^()/]+ )?\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\)` },
];

/** Which tool named `candidate` as a conflict copy of the vault file named `vaultName`, if any. */
export function conflictToolOf(vaultName: string, candidate: string): ConflictTool | undefined {
  const { stem, ext } = splitName(vaultName);
  for (const { tool, middle } of PATTERNS) {
    if (new RegExp(`^${escape(stem)}${middle}${escape(ext)}$`, 'u').test(candidate)) return tool;
  }
  return undefined;
}

/** The conflict copies beside a vault file (regular files only), sorted by name so every run sees one order. */
export function findConflictCopies(vaultFile: string): ConflictCopy[] {
  const folder = path.dirname(vaultFile);
  const name = path.basename(vaultFile);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  const copies: ConflictCopy[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const tool = conflictToolOf(name, entry.name);
    if (tool) copies.push({ path: path.join(folder, entry.name), tool });
  }
  return copies.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A conflict copy that was merged into the vault, and what it brought. */
export interface MergedCopy extends ConflictCopy {
  readonly report: SyncReport;
}

/** A conflict copy that could not be opened (another passphrase, damage): it stays where it is. */
export interface LeftCopy extends ConflictCopy {
  readonly error: VaultError;
}

/** What one save did with the conflict copies beside the vault. */
export interface ConflictOutcome {
  /** Merged into the vault and, once the merged vault was durable, removed (a preview removes nothing). */
  readonly merged: readonly MergedCopy[];
  /** Left where they are, each with the reason. */
  readonly left: readonly LeftCopy[];
}

/** Another copy of the vault, read but not merged: its content and key-derivation cost. */
export interface ReadCopy {
  readonly content: VaultContent;
  readonly cost: KdfCost;
}
