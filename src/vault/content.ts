import type { Account, Batch, Code, Tombstone, VaultContent } from '../domain/index.js';
import { VaultError } from './errors.js';

/**
 * The plaintext inside a vault (docs/vault-format.md, section 5): UTF-8 JSON, padded with spaces to a
 * multiple of PADDING_BYTES so that the file's size says little about how many codes it holds.
 */

/** 5.1: the plaintext is padded with ASCII spaces to a multiple of this many bytes. */
export const PADDING_BYTES = 512;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The content as JSON text, with its keys in the order of docs/vault-format.md 5.2. */
export function contentToJson(content: VaultContent, indent?: number): string {
  return JSON.stringify(canonical(content), null, indent);
}

/** 5.2: the content with exactly the documented keys, in the documented order. */
function canonical(content: VaultContent): VaultContent {
  return {
    accounts: content.accounts.map(
      (account): Account => ({
        id: account.id,
        name: account.name,
        service: account.service,
        username: account.username,
        note: account.note,
        createdAt: account.createdAt,
        batches: account.batches.map(
          (batch): Batch => ({
            id: batch.id,
            addedAt: batch.addedAt,
            source: batch.source,
            supersededAt: batch.supersededAt,
            printedAt: batch.printedAt,
            copiedAt: batch.copiedAt,
            codes: batch.codes.map((code): Code => ({ code: code.code, spentAt: code.spentAt })),
          }),
        ),
      }),
    ),
    tombstones: content.tombstones.map((tombstone): Tombstone => ({ id: tombstone.id, removedAt: tombstone.removedAt })),
  };
}

/** 5.1: JSON, UTF-8, padded with spaces. */
export function encodeContent(content: VaultContent): Uint8Array {
  const json = encoder.encode(contentToJson(content));
  const padded = new Uint8Array(Math.ceil((json.length + 1) / PADDING_BYTES) * PADDING_BYTES);
  padded.fill(0x20);
  padded.set(json, 0);
  json.fill(0);
  return padded;
}

/**
 * 5.1 and 5.2: decodes and validates the plaintext. Errors say where, never what: Node's own JSON
 * errors quote the input, which here would be codes.
 */
export function decodeContent(plaintext: Uint8Array): VaultContent {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(plaintext));
  } catch {
    throw invalid('its content is not valid UTF-8 JSON');
  }
  return parseContent(value);
}

/** Validates content that arrived as a JavaScript value (from a vault or a JSON export). */
export function parseContent(value: unknown): VaultContent {
  const root = record(value, 'the content');
  const accounts = array(root['accounts'], 'accounts').map((item, i) => parseAccount(item, `account ${i + 1}`));
  const tombstones = array(root['tombstones'], 'tombstones').map((item, i) => {
    const entry = record(item, `tombstone ${i + 1}`);
    return { id: text(entry['id'], `tombstone ${i + 1} id`), removedAt: time(entry['removedAt'], `tombstone ${i + 1} removedAt`) };
  });
  const names = new Set<string>();
  const ids = new Set<string>();
  for (const account of accounts) {
    const key = account.name.toLowerCase();
    if (names.has(key)) throw invalid(`two accounts are named "${account.name}"`);
    names.add(key);
    for (const id of [account.id, ...account.batches.map((batch) => batch.id)]) {
      if (ids.has(id)) throw invalid('an id is used twice');
      ids.add(id);
    }
  }
  return { accounts, tombstones };
}

function parseAccount(value: unknown, where: string): Account {
  const account = record(value, where);
  return {
    id: text(account['id'], `${where} id`),
    name: text(account['name'], `${where} name`),
    service: optionalText(account['service'], `${where} service`),
    username: optionalText(account['username'], `${where} username`),
    note: optionalText(account['note'], `${where} note`),
    createdAt: time(account['createdAt'], `${where} createdAt`),
    batches: array(account['batches'], `${where} batches`).map((item, i) => parseBatch(item, `${where} batch ${i + 1}`)),
  };
}

function parseBatch(value: unknown, where: string): Batch {
  const batch = record(value, where);
  return {
    id: text(batch['id'], `${where} id`),
    addedAt: time(batch['addedAt'], `${where} addedAt`),
    source: text(batch['source'], `${where} source`),
    supersededAt: optionalTime(batch['supersededAt'], `${where} supersededAt`),
    printedAt: optionalTime(batch['printedAt'], `${where} printedAt`),
    copiedAt: optionalTime(batch['copiedAt'], `${where} copiedAt`),
    codes: array(batch['codes'], `${where} codes`).map((item, i) => {
      const code = record(item, `${where} code ${i + 1}`);
      return {
        code: text(code['code'], `${where} code ${i + 1}`),
        spentAt: optionalTime(code['spentAt'], `${where} code ${i + 1} spentAt`),
      };
    }),
  };
}

function invalid(what: string): VaultError {
  return new VaultError('damaged', `the vault is damaged: ${what}`);
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${where} is not an object`);
  return value as Record<string, unknown>;
}

function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(`${where} is not a list`);
  return value;
}

function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(`${where} is not a non-empty string`);
  return value;
}

function optionalText(value: unknown, where: string): string | null {
  return value === null || value === undefined ? null : text(value, where);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function time(value: unknown, where: string): string {
  if (typeof value !== 'string' || !ISO_TIME.test(value)) throw invalid(`${where} is not a UTC time`);
  return value;
}

function optionalTime(value: unknown, where: string): string | null {
  return value === null || value === undefined ? null : time(value, where);
}
