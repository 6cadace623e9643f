import { nameKey, validateAccountName } from './accounts.js';
import { codeKey, codeKeysOf } from './code-text.js';
import { DomainError } from './errors.js';
import type { Account, Batch, Code, VaultContent } from './model.js';
import { compareStamps, marksOf, spentAtOf, stampsOf } from './stamps.js';

/**
 * The consistency rules of a vault's content (docs/vault-format.md 5.3), checked before every save and
 * repaired on reading. A content that breaks one of them is never written: that would be a bug.
 */

/** Characters that never belong in a stored text: controls, format characters (bidi, zero-width), separators. */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}]/gu;
/** The same, but a note may hold line breaks. */
const HIDDEN_IN_NOTE = /[\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\u0000-\u0009\u000B-\u001F\u007F-\u009F]/gu;

/** The shape of every id lifeboat draws: 16 to 64 lowercase hex digits (docs/vault-format.md 5.3). */
export const ID_SHAPE = /^[0-9a-f]{16,64}$/;

/**
 * Whether an id may stand in a vault: what lifeboat draws, or an older id of printable ASCII letters,
 * digits, `-` and `_` (earlier versions stored imported ids as they came).
 */
export function isSoundId(id: string): boolean {
  return ID_SHAPE.test(id) || /^[0-9A-Za-z_-]{1,64}$/.test(id);
}

/**
 * The id that a malformed id (from a hand-edited file or an old import) is repaired to: the hex of its
 * UTF-8 bytes, padded with zeros to 16 digits. Deterministic, so every device repairs it alike, and two
 * different ids of up to 32 bytes never become one.
 */
export function repairedId(id: string): string {
  if (isSoundId(id)) return id;
  const hex = Array.from(new TextEncoder().encode(id), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return hex.padEnd(16, '0').slice(0, 64);
}

/** The longest a code may be; no service's code comes close. */
export const MAX_CODE_LENGTH = 200;

const HIDDEN_ONE = new RegExp(HIDDEN.source, 'u');
const HIDDEN_IN_NOTE_ONE = new RegExp(HIDDEN_IN_NOTE.source, 'u');

/** Whether a stored text holds a character that would be invisible or would control a terminal. */
export function hasHiddenCharacters(text: string, allowLineBreaks = false): boolean {
  return (allowLineBreaks ? HIDDEN_IN_NOTE_ONE : HIDDEN_ONE).test(text);
}

function strip(text: string, allowLineBreaks = false): string {
  return text.replace(allowLineBreaks ? HIDDEN_IN_NOTE : HIDDEN, '');
}

/**
 * Checks a code arriving from outside (typed, a file, an import): printable, not too long, and not
 * shaped like a spreadsheet formula (no service's code starts with `=`, `+`, `-` or `@`).
 */
export function validateCodeText(code: string, where: string): void {
  if (code.length === 0 || code.length > MAX_CODE_LENGTH || codeKey(code).length === 0) {
    throw new DomainError('invalid-code', `${where} is empty or too long`);
  }
  if (hasHiddenCharacters(code)) throw new DomainError('invalid-code', `${where} holds control or invisible characters`);
  if (/^[=+\-@]/.test(code)) throw new DomainError('invalid-code', `${where} starts with = + - or @, which no service's code does`);
}

/**
 * Every rule a content must meet, as messages that name places, never values (they may be codes).
 * Empty when the content is sound.
 *
 * `sound` is a content already known to meet every rule (the one a save read): an account of `content` that
 * is the very same object as one of its accounts keeps its codes and ids, so only the rules across accounts
 * (one name, one id) are checked for it. A save of one change to a large vault thus checks one account.
 */
export function checkContent(content: VaultContent, sound?: VaultContent): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const ids = new Set<string>();
  const known = new Set<Account>(sound?.accounts);
  content.accounts.forEach((account, i) => {
    const where = `account ${i + 1}`;
    const checked = known.has(account);
    if (!checked) {
      try {
        if (validateAccountName(account.name) !== account.name) problems.push(`${where} name is not in NFC`);
      } catch {
        problems.push(`${where} name is not a valid account name`);
      }
    }
    const key = nameKey(account.name);
    if (names.has(key)) problems.push(`${where} has the same name as another account`);
    names.add(key);
    // Service, username, note and source are free text: they may hold anything, and every channel that
    // shows them passes them through the one sanitizer (src/output). Names, codes and ids are checked.
    checkId(account.id, where, checked, ids, problems);
    for (const batch of account.batches) checkId(batch.id, where, checked, ids, problems);
    if (checked) return;
    account.batches.forEach((batch, j) => {
      const inBatch = `${where} batch ${j + 1}`;
      const keys = codeKeysOf(batch);
      const seen = new Set<string>();
      batch.codes.forEach((code, k) => {
        const codeId = keys[k]!;
        if (code.code.length > MAX_CODE_LENGTH || codeId.length === 0 || hasHiddenCharacters(code.code)) {
          problems.push(`${inBatch} code ${k + 1} is not a printable code`);
        }
        if (seen.has(codeId)) problems.push(`${inBatch} code ${k + 1} is in the batch twice`);
        seen.add(codeId);
        if (code.marks && spentAtOf(code.marks) !== code.spentAt) problems.push(`${inBatch} code ${k + 1} spentAt disagrees with its spends`);
        if (code.marks?.some((mark) => !isSoundId(mark.id))) problems.push(`${inBatch} code ${k + 1} has a spend whose id is malformed`);
      });
    });
  });
  if (!sound || content.tombstones !== sound.tombstones) {
    content.tombstones.forEach((tombstone, i) => {
      if (!isSoundId(tombstone.id) || tombstone.batches?.some((id) => !isSoundId(id))) problems.push(`tombstone ${i + 1} has a malformed id`);
    });
  }
  return problems;
}

/** An id must be used once in the whole content, and (unless its account was checked before) well formed. */
function checkId(id: string, where: string, checked: boolean, ids: Set<string>, problems: string[]): void {
  if (ids.has(id)) problems.push(`${where} uses an id that is used twice`);
  if (!checked && !isSoundId(id)) problems.push(`${where} has a malformed id`);
  ids.add(id);
}

/**
 * Repairs what a content read from a file may break without being damaged (5.3): hidden characters are
 * removed from texts, a code's `spentAt` is derived from its spends, a code repeated in a batch is kept
 * once, and two accounts with one name are told apart (`resolveNameClashes`). Deterministic: every
 * device repairs the same content the same way. Says what it repaired, by place.
 */
export function repairContent(content: VaultContent): { content: VaultContent; repairs: string[] } {
  const repairs: string[] = [];
  const accounts = content.accounts.map((account, i) => repairAccount(account, `account ${i + 1}`, repairs));
  const clashes = resolveNameClashes(accounts);
  for (const clash of clashes.renamed) repairs.push(`two accounts were named "${clash.name}": one is now "${clash.renamedTo}"`);
  let tombstones = content.tombstones;
  if (tombstones.some((tombstone) => !isSoundId(tombstone.id) || tombstone.batches?.some((id) => !isSoundId(id)))) {
    repairs.push('tombstones held malformed ids: they were rewritten');
    tombstones = tombstones.map((tombstone) =>
      tombstone.batches ? { ...tombstone, id: repairedId(tombstone.id), batches: tombstone.batches.map(repairedId) } : { ...tombstone, id: repairedId(tombstone.id) },
    );
  }
  if (repairs.length === 0) return { content, repairs };
  return { content: { ...content, accounts: clashes.accounts, tombstones }, repairs };
}

function repairAccount(account: Account, where: string, repairs: string[]): Account {
  let name = account.name;
  try {
    name = validateAccountName(account.name);
  } catch {
    name = strip(account.name.normalize('NFC')).replace(/\s+/gu, ' ').trim().slice(0, 100) || `account ${account.id.slice(0, 8)}`;
    repairs.push(`${where} name held characters an account name must not have: they were removed`);
  }
  const batches = account.batches.map((batch, j) => repairBatch(batch, `${where} batch ${j + 1}`, repairs));
  const id = repairedId(account.id);
  if (id !== account.id) repairs.push(`${where} id was malformed: it was rewritten`);
  const repaired: Account = {
    ...account,
    id,
    name,
    batches,
  };
  return id === account.id && name === account.name && batches.every((batch, j) => batch === account.batches[j]) ? account : repaired;
}

function repairBatch(batch: Batch, where: string, repairs: string[]): Batch {
  const id = repairedId(batch.id);
  let changed = id !== batch.id;
  if (changed) repairs.push(`${where} id was malformed: it was rewritten`);
  const seen = new Set<string>();
  const codes: Code[] = [];
  batch.codes.forEach((code, k) => {
    let text = code.code;
    if (hasHiddenCharacters(text)) {
      text = strip(text);
      repairs.push(`${where} code ${k + 1} held control or invisible characters: they were removed`);
      changed = true;
    }
    const key = codeKey(text);
    if (key.length === 0 || seen.has(key)) {
      repairs.push(`${where} code ${k + 1} was empty or repeated: it was left out`);
      changed = true;
      return;
    }
    seen.add(key);
    const marks = code.marks?.map((mark) => (isSoundId(mark.id) ? mark : { ...mark, id: repairedId(mark.id) }));
    const spentAt = marks ? spentAtOf(marks) : code.spentAt;
    if (text !== code.code || spentAt !== code.spentAt || marks?.some((mark, m) => mark !== code.marks?.[m])) {
      changed = true;
      codes.push(marks ? { code: text, spentAt, marks } : { code: text, spentAt });
    } else codes.push(code);
  });
  return changed ? { ...batch, id, codes } : batch;
}

/**
 * Tells apart live accounts that share a name (after a merge, or in a file): the account whose name was
 * set first (earliest name stamp, then smallest id) keeps it; each other gets the name followed by `~`
 * and the start of its id. The new name keeps the old name's stamp and sorts after it, so a copy that
 * still holds the old name yields to it (ties of stamps go to the greater value, rule M2), while any
 * later rename wins over it.
 */
export function resolveNameClashes(accounts: readonly Account[]): {
  accounts: Account[];
  renamed: { readonly id: string; readonly name: string; readonly renamedTo: string }[];
} {
  const groups = new Map<string, Account[]>();
  for (const account of accounts) {
    const key = nameKey(account.name);
    const group = groups.get(key);
    if (group) group.push(account);
    else groups.set(key, [account]);
  }
  const taken = new Set(groups.keys());
  const renamed: { id: string; name: string; renamedTo: string }[] = [];
  const newNames = new Map<string, string>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const ordered = [...group].sort((a, b) => compareStamps(stampsOf(a).name, stampsOf(b).name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const loser of ordered.slice(1)) {
      let length = 6;
      let name = '';
      do {
        name = `${loser.name.slice(0, 100 - length - 1)}~${loser.id.slice(0, length)}`;
        length += 2;
      } while (taken.has(nameKey(name)) && length <= loser.id.length);
      taken.add(nameKey(name));
      newNames.set(loser.id, name);
      renamed.push({ id: loser.id, name: loser.name, renamedTo: name });
    }
  }
  if (renamed.length === 0) return { accounts: [...accounts], renamed };
  return { accounts: accounts.map((account) => { const name = newNames.get(account.id); return name === undefined ? account : { ...account, name }; }), renamed };
}

/** Whether a code's spends say it is spent (for callers that hold only the code). */
export function isSpent(code: Code): boolean {
  return spentAtOf(marksOf(code)) !== null;
}
