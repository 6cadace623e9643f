import fs from 'node:fs';
import path from 'node:path';

/**
 * Who else can touch a vault through its folder (issue 11, finding 4). The vault file is 0600, but whoever can write
 * its folder can still delete or replace it, plant its lock, or swap in an older copy; and whoever owns the folder or
 * the file can do all that and change the modes back. These checks only warn: lifeboat never changes a folder it did
 * not create, and the user may have reasons we cannot see.
 */

function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

/** Whether `uid` is neither us nor root (root can do anything to our files anyway; warning of it would be noise). */
function isStranger(uid: number, self: number): boolean {
  return uid !== self && uid !== 0;
}

/**
 * The warnings about the vault file `vaultFile` (its real path) and its folder, in words for the user: a folder that
 * group or others can write without the sticky bit, a folder or a file owned by another user. Empty when all is well
 * or when the file system cannot tell (a failed stat is left to the read that follows).
 */
export function folderWarnings(vaultFile: string): string[] {
  const self = currentUid();
  const folder = path.dirname(vaultFile);
  const warnings: string[] = [];
  let folderStat: fs.Stats;
  let fileStat: fs.Stats;
  try {
    folderStat = fs.statSync(folder);
    fileStat = fs.statSync(vaultFile);
  } catch {
    return warnings;
  }
  const mode = folderStat.mode & 0o7777;
  if (mode & 0o022 && !(mode & 0o1000)) {
    warnings.push(
      `the folder ${folder} can be written by other users (mode ${mode.toString(8)}): they can replace or delete the vault; run \`chmod go-w ${folder}\``,
    );
  }
  if (self !== undefined && isStranger(folderStat.uid, self)) {
    warnings.push(`the folder ${folder} belongs to another user (uid ${folderStat.uid}), who can replace or delete the vault; keep it in a folder of your own`);
  }
  if (self !== undefined && isStranger(fileStat.uid, self)) {
    warnings.push(`the vault ${vaultFile} belongs to another user (uid ${fileStat.uid}), who can read its encrypted bytes and replace it; copy it into a folder of your own`);
  }
  return warnings;
}
