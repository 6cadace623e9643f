import { DomainError, validateAccountName, type VaultContent } from '../../src/domain/index.js';
import { decodeContent, encodeContent } from '../../src/vault/content.js';
import { OracleViolation } from './engine.js';

/**
 * The oracle for every parser that hands back vault content: what it returns must obey the model's rules as
 * docs/vault-format.md 5.2 states them, whatever bytes it was given.
 */

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function fail(rule: string): never {
  throw new OracleViolation(`returned content breaks a rule: ${rule}`);
}

function text(value: unknown, where: string): void {
  if (typeof value !== 'string' || value.length === 0) fail(`${where} is not a non-empty string`);
}
function optionalText(value: unknown, where: string): void {
  if (value !== null) text(value, where);
}
function time(value: unknown, where: string): void {
  if (typeof value !== 'string' || !ISO_TIME.test(value)) fail(`${where} is not a UTC time`);
}
function optionalTime(value: unknown, where: string): void {
  if (value !== null) time(value, where);
}

/** Throws an OracleViolation naming the first broken rule of `content`. */
export function checkContent(content: VaultContent): void {
  if (!Array.isArray(content.accounts) || !Array.isArray(content.tombstones)) fail('accounts and tombstones are lists');
  const names = new Set<string>();
  const ids = new Set<string>();
  content.accounts.forEach((account, a) => {
    const where = `account ${a + 1}`;
    text(account.id, `${where} id`);
    text(account.name, `${where} name`);
    try {
      validateAccountName(account.name);
    } catch (error) {
      if (error instanceof DomainError) fail(`${where} name is one \`lifeboat add\` refuses (${error.message})`);
      throw error;
    }
    optionalText(account.service, `${where} service`);
    optionalText(account.username, `${where} username`);
    optionalText(account.note, `${where} note`);
    time(account.createdAt, `${where} createdAt`);
    const key = account.name.toLowerCase();
    if (names.has(key)) fail('two accounts have the same name');
    names.add(key);
    if (ids.has(account.id)) fail('an id is used twice');
    ids.add(account.id);
    account.batches.forEach((batch: VaultContent['accounts'][number]['batches'][number], b: number) => {
      const at = `${where} batch ${b + 1}`;
      text(batch.id, `${at} id`);
      if (ids.has(batch.id)) fail('an id is used twice');
      ids.add(batch.id);
      time(batch.addedAt, `${at} addedAt`);
      text(batch.source, `${at} source`);
      optionalTime(batch.supersededAt, `${at} supersededAt`);
      optionalTime(batch.printedAt, `${at} printedAt`);
      optionalTime(batch.copiedAt, `${at} copiedAt`);
      batch.codes.forEach((code: { code: string; spentAt: string | null }, c: number) => {
        text(code.code, `${at} code ${c + 1}`);
        optionalTime(code.spentAt, `${at} code ${c + 1} spentAt`);
      });
    });
  });
  content.tombstones.forEach((tombstone, t) => {
    text(tombstone.id, `tombstone ${t + 1} id`);
    time(tombstone.removedAt, `tombstone ${t + 1} removedAt`);
  });
  // What was accepted once must be accepted again, unchanged, after a save: the vault can never brick itself.
  let again: VaultContent;
  try {
    again = decodeContent(encodeContent(content)).content;
  } catch (error) {
    fail(`the content does not survive a save and a read (${error instanceof Error ? error.message : String(error)})`);
  }
  if (JSON.stringify(again) !== JSON.stringify(content)) fail('the content changes across a save and a read');
}
