import {
  LEGACY_MARK_ID,
  checkContent,
  repairContent,
  type Account,
  type AccountStamps,
  type Batch,
  type Code,
  type SpendMark,
  type Stamp,
  type Tombstone,
  type VaultContent,
} from '../domain/index.js';
import { VaultError } from './errors.js';

/**
 * The plaintext inside a vault (docs/vault-format.md, section 5): UTF-8 JSON, padded with spaces to a
 * multiple of PADDING_BYTES so that the file's size says little about how many codes it holds.
 */

/** 5.1: the plaintext is padded with ASCII spaces to a multiple of this many bytes. */
export const PADDING_BYTES = 512;

/** 5.2: the content version this code writes; it reads this one and every older one. */
export const CONTENT_VERSION = 2;

/** 5.2: the most items of each kind a content may hold, so that a hostile file cannot cost hours. */
export const LIMITS = { accounts: 100_000, batchesPerAccount: 1_000, codesPerBatch: 1_000, marksPerCode: 100, tombstones: 1_000_000, devices: 10_000 } as const;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The content as JSON text, with its keys in the order of docs/vault-format.md 5.2. */
export function contentToJson(content: VaultContent, indent?: number): string {
  return JSON.stringify(canonical(content), null, indent);
}

function stampJson(stamp: Stamp): [number, string] {
  return [stamp.n, stamp.d];
}

const LEGACY: [number, string] = [0, ''];

/** 5.2: the content with exactly the documented keys, in the documented order. */
function canonical(content: VaultContent): unknown {
  return {
    version: CONTENT_VERSION,
    clock: Object.fromEntries(Object.entries(content.clock ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    accounts: content.accounts.map((account) => ({
      id: account.id,
      name: account.name,
      service: account.service,
      username: account.username,
      note: account.note,
      createdAt: account.createdAt,
      stamps: account.stamps
        ? {
            name: stampJson(account.stamps.name),
            service: stampJson(account.stamps.service),
            username: stampJson(account.stamps.username),
            note: stampJson(account.stamps.note),
          }
        : { name: LEGACY, service: LEGACY, username: LEGACY, note: LEGACY },
      batches: account.batches.map((batch) => ({
        id: batch.id,
        addedAt: batch.addedAt,
        seq: batch.seq ? stampJson(batch.seq) : LEGACY,
        source: batch.source,
        supersededAt: batch.supersededAt,
        printedAt: batch.printedAt,
        copiedAt: batch.copiedAt,
        codes: batch.codes.map((code) =>
          code.marks === undefined || impliedBySpentAt(code.marks, code.spentAt)
            ? { code: code.code, spentAt: code.spentAt }
            : { code: code.code, spentAt: code.spentAt, marks: code.marks.map((mark) => ({ id: mark.id, at: mark.at, undoneAt: mark.undoneAt })) },
        ),
      })),
    })),
    tombstones: content.tombstones.map((tombstone) =>
      tombstone.batches ? { id: tombstone.id, removedAt: tombstone.removedAt, batches: [...tombstone.batches] } : { id: tombstone.id, removedAt: tombstone.removedAt },
    ),
  };
}

/**
 * 5.2: whether a code's spends say no more than its `spentAt` does (no spend, or one standing spend with
 * the legacy id): then `marks` is left out of the file, and left out again on reading.
 */
function impliedBySpentAt(marks: readonly SpendMark[], spentAt: string | null): boolean {
  if (marks.length === 0) return spentAt === null;
  const [only] = marks;
  return marks.length === 1 && only !== undefined && only.id === LEGACY_MARK_ID && only.undoneAt === null && only.at === spentAt;
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
export function decodeContent(plaintext: Uint8Array, repair = false): { content: VaultContent; repairs: readonly string[] } {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(plaintext));
  } catch {
    throw invalid('its content is not valid UTF-8 JSON');
  }
  return readContent(value, repair);
}

/**
 * Validates content that arrived as a JavaScript value (a JSON export): the schema of 5.2 and the
 * consistency rules of 5.3; a failure of either is "damaged", naming the place.
 */
export function parseContent(value: unknown): VaultContent {
  return readContent(value, false).content;
}

/**
 * Validates content (5.2, 5.3). A content that meets the schema but breaks a consistency rule (two
 * accounts with one name, hidden characters in a text) is "damaged" with `repairable` set; with `repair`
 * it is repaired instead (5.4), and the repairs are named.
 */
export function readContent(value: unknown, repair: boolean): { content: VaultContent; repairs: readonly string[] } {
  const root = record(value, 'the content');
  const version = root['version'] ?? 1;
  if (version !== 1 && version !== CONTENT_VERSION) {
    if (typeof version === 'number' && Number.isSafeInteger(version) && version > CONTENT_VERSION) {
      throw new VaultError('unsupported-version', `this vault has content version ${version}, which this lifeboat cannot read`, 'upgrade lifeboat on this device');
    }
    throw invalid('the content version is not a known number');
  }
  const parsedClock = version === 1 ? {} : parseClock(root['clock']);
  const clock = Object.keys(parsedClock).length === 0 ? undefined : parsedClock;
  const accounts = capped(array(root['accounts'], 'accounts'), LIMITS.accounts, 'accounts').map((item, i) => parseAccount(item, `account ${i + 1}`));
  const tombstones = capped(array(root['tombstones'], 'tombstones'), LIMITS.tombstones, 'tombstones').map((item, i) => parseTombstone(item, `tombstone ${i + 1}`));
  const parsed: VaultContent = clock === undefined ? { accounts, tombstones } : { accounts, tombstones, clock };
  const ids = new Set<string>();
  for (const account of accounts) {
    for (const id of [account.id, ...account.batches.map((batch) => batch.id)]) {
      if (ids.has(id)) throw invalid('an id is used twice');
      ids.add(id);
    }
  }
  const problems = checkContent(parsed);
  if (problems[0] === undefined) return { content: parsed, repairs: [] };
  if (!repair) {
    const error = invalid(problems[0]);
    error.repairable = true;
    throw error;
  }
  const { content, repairs } = repairContent(parsed);
  const left = checkContent(content);
  if (left[0] !== undefined) throw invalid(left[0]);
  return { content, repairs };
}

function parseAccount(value: unknown, where: string): Account {
  const account = record(value, where);
  const stamps = account['stamps'];
  const parsed: Account = {
    id: id(account['id'], `${where} id`),
    // 5.3: names are compared and kept in NFC; a file that holds another form is read in NFC.
    name: text(account['name'], `${where} name`).normalize('NFC'),
    service: optionalText(account['service'], `${where} service`),
    username: optionalText(account['username'], `${where} username`),
    note: optionalText(account['note'], `${where} note`),
    createdAt: time(account['createdAt'], `${where} createdAt`),
    batches: capped(array(account['batches'], `${where} batches`), LIMITS.batchesPerAccount, `${where} batches`).map((item, i) =>
      parseBatch(item, `${where} batch ${i + 1}`),
    ),
  };
  if (stamps === undefined || stamps === null) return parsed;
  const read = parseStamps(stamps, `${where} stamps`);
  return Object.values(read).every(isLegacy) ? parsed : { ...parsed, stamps: read };
}

function parseStamps(value: unknown, where: string): AccountStamps {
  const stamps = record(value, where);
  return {
    name: stamp(stamps['name'], `${where} name`),
    service: stamp(stamps['service'], `${where} service`),
    username: stamp(stamps['username'], `${where} username`),
    note: stamp(stamps['note'], `${where} note`),
  };
}

function parseBatch(value: unknown, where: string): Batch {
  const batch = record(value, where);
  const seq = batch['seq'];
  const parsed: Batch = {
    id: id(batch['id'], `${where} id`),
    addedAt: time(batch['addedAt'], `${where} addedAt`),
    source: text(batch['source'], `${where} source`),
    supersededAt: optionalTime(batch['supersededAt'], `${where} supersededAt`),
    printedAt: optionalTime(batch['printedAt'], `${where} printedAt`),
    copiedAt: optionalTime(batch['copiedAt'], `${where} copiedAt`),
    codes: capped(array(batch['codes'], `${where} codes`), LIMITS.codesPerBatch, `${where} codes`).map((item, i) => parseCode(item, `${where} code ${i + 1}`)),
  };
  if (seq === undefined || seq === null) return parsed;
  const read = stamp(seq, `${where} seq`);
  return isLegacy(read) ? parsed : { ...parsed, seq: read };
}

function parseCode(value: unknown, where: string): Code {
  const code = record(value, where);
  const parsed: Code = { code: text(code['code'], where), spentAt: optionalTime(code['spentAt'], `${where} spentAt`) };
  const marks = code['marks'];
  if (marks === undefined || marks === null) return parsed;
  const read = {
    ...parsed,
    marks: capped(array(marks, `${where} marks`), LIMITS.marksPerCode, `${where} marks`).map((item, i): SpendMark => {
      const mark = record(item, `${where} mark ${i + 1}`);
      return {
        id: id(mark['id'], `${where} mark ${i + 1} id`),
        at: time(mark['at'], `${where} mark ${i + 1} at`),
        undoneAt: optionalTime(mark['undoneAt'], `${where} mark ${i + 1} undoneAt`),
      };
    }),
  };
  return impliedBySpentAt(read.marks, read.spentAt) ? parsed : read;
}

function isLegacy(value: Stamp): boolean {
  return value.n === 0 && value.d === '';
}

function parseTombstone(value: unknown, where: string): Tombstone {
  const entry = record(value, where);
  const parsed: Tombstone = { id: id(entry['id'], `${where} id`), removedAt: time(entry['removedAt'], `${where} removedAt`) };
  const batches = entry['batches'];
  if (batches === undefined || batches === null) return parsed;
  return { ...parsed, batches: capped(array(batches, `${where} batches`), LIMITS.batchesPerAccount, `${where} batches`).map((item, i) => id(item, `${where} batch ${i + 1}`)) };
}

function parseClock(value: unknown): Record<string, number> {
  if (value === undefined || value === null) return {};
  const clock = record(value, 'clock');
  const entries = Object.entries(clock);
  if (entries.length > LIMITS.devices) throw invalid('clock has too many devices');
  const parsed: Record<string, number> = {};
  for (const [device, counter] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!DEVICE.test(device)) throw invalid('clock has a malformed device id');
    parsed[device] = counter_(counter, 'clock');
  }
  return parsed;
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

function capped(list: unknown[], limit: number, where: string): unknown[] {
  if (list.length > limit) throw invalid(`${where} has more than ${limit} items`);
  return list;
}

/** 5.2: strings are capped too, so one field cannot hold megabytes. */
const MAX_TEXT = 65_536;

function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(`${where} is not a non-empty string`);
  if (value.length > MAX_TEXT) throw invalid(`${where} is longer than ${MAX_TEXT} characters`);
  return value;
}

function optionalText(value: unknown, where: string): string | null {
  return value === null || value === undefined ? null : text(value, where);
}

/** 5.2: device ids are exactly 16 lowercase hex digits (ids of accounts, batches and spends: 5.3). */
const DEVICE = /^[0-9a-f]{16}$/;

function id(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) throw invalid(`${where} is not an id`);
  return value;
}

function counter_(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalid(`${where} has a counter that is not a whole number`);
  return value;
}

function stamp(value: unknown, where: string): Stamp {
  if (!Array.isArray(value) || value.length !== 2) throw invalid(`${where} is not a stamp`);
  const [n, d] = value as unknown[];
  const counter = counter_(n, where);
  if (typeof d !== 'string' || !(d === '' ? counter === 0 : DEVICE.test(d))) throw invalid(`${where} is not a stamp`);
  return { n: counter, d };
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function time(value: unknown, where: string): string {
  if (typeof value !== 'string' || !ISO_TIME.test(value) || Number.isNaN(Date.parse(value))) throw invalid(`${where} is not a UTC time`);
  return value;
}

function optionalTime(value: unknown, where: string): string | null {
  return value === null || value === undefined ? null : time(value, where);
}
