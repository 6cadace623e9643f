import { replaceAccount, resolveAccount } from './accounts.js';
import { DomainError } from './errors.js';
import type { Account, VaultContent } from './model.js';
import { nextStamp } from './stamps.js';
import { restamp, type Context } from './transitions.js';

/**
 * Changing an account's details after the fact (`lifeboat edit`): its service, username and note.
 * The codes and the name are not touched here (`rename` changes the name).
 */

/** The details `editAccount` can change. Absent means "leave as it is"; null or an empty text clears it. */
export interface AccountEdit {
  readonly service?: string | null | undefined;
  readonly username?: string | null | undefined;
  readonly note?: string | null | undefined;
}

/** One field an edit changed, with its value before and after. */
export interface EditedField {
  readonly field: 'service' | 'username' | 'note';
  readonly before: string | null;
  readonly after: string | null;
}

/** Longest detail accepted: a note is a line or two, never a place for codes or a document. */
const MAX_DETAIL = 500;

/** A detail as stored: NFC, trimmed, null when empty; refuses control characters and overlong text. */
function cleanDetail(field: EditedField['field'], value: string | null): string | null {
  if (value === null) return null;
  const text = value.normalize('NFC').trim();
  if (text === '') return null;
  if (/\p{Cc}/u.test(text)) throw new DomainError('invalid-name', `the ${field} must not contain control characters`);
  if (text.length > MAX_DETAIL) throw new DomainError('invalid-name', `the ${field} must be at most ${MAX_DETAIL} characters long`);
  return text;
}

/**
 * Sets the service, username and note of the account a query names (its exact name or a unique prefix),
 * where given. Returns the new vault, the account as it is now, and the fields whose value changed (none
 * when every given value was the one stored).
 */
export function editAccount(
  vault: VaultContent,
  query: string,
  edit: AccountEdit,
  context: Pick<Context, 'device'>,
): { vault: VaultContent; account: Account; changed: EditedField[] } {
  const account = resolveAccount(vault, query);
  const changed: EditedField[] = [];
  const next: { -readonly [K in keyof Account]: Account[K] } = { ...account };
  for (const field of ['service', 'username', 'note'] as const) {
    const given = edit[field];
    if (given === undefined) continue;
    const after = cleanDetail(field, given);
    if (after === account[field]) continue;
    changed.push({ field, before: account[field], after });
    next[field] = after;
  }
  if (changed.length === 0) return { vault, account, changed };
  // Each changed field is stamped, so that the latest edit wins when copies of the vault merge (rule M2).
  next.stamps = restamp(account, changed.map((change) => change.field), nextStamp(vault, context.device));
  return { vault: replaceAccount(vault, next), account: next, changed };
}
