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
        codes: canonicalCodes(batch.codes),
      })),
    })),
    tombstones: content.tombstones.map((tombstone) =>
      tombstone.batches ? { id: tombstone.id, removedAt: tombstone.removedAt, batches: [...tombstone.batches] } : { id: tombstone.id, removedAt: tombstone.removedAt },
    ),
  };
}

/** A batch's codes as 5.2 writes them; the very list when every code already has exactly that shape (the usual case). */
function canonicalCodes(codes: readonly Code[]): readonly unknown[] {
  let out: unknown[] | undefined;
  for (let k = 0; k < codes.length; k += 1) {
    const code = codes[k]!;
    const plain = code.marks === undefined || impliedBySpentAt(code.marks, code.spentAt);
    const written =
      plain && isPlainCode(code)
        ? code
        : plain
          ? { code: code.code, spentAt: code.spentAt }
          : { code: code.code, spentAt: code.spentAt, marks: code.marks!.map((mark) => ({ id: mark.id, at: mark.at, undoneAt: mark.undoneAt })) };
    if (written !== code) out ??= codes.slice(0, k);
    out?.push(written);
  }
  return out ?? codes;
}

/** Whether an object has exactly the keys `code` and `spentAt`, in that order: it is then written as it is. */
function isPlainCode(value: object): boolean {
  let count = 0;
  for (const key in value) {
    if (key !== (count === 0 ? 'code' : count === 1 ? 'spentAt' : '')) return false;
    count += 1;
  }
  return count === 2;
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
  const json = contentToJson(content);
  const length = Buffer.byteLength(json, 'utf8');
  const padded = new Uint8Array(Math.ceil((length + 1) / PADDING_BYTES) * PADDING_BYTES);
  encoder.encodeInto(json, padded);
  padded.fill(0x20, length);
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
  let parsed: VaultContent;
  try {
    parsed = readSchema(value);
  } catch (error) {
    if (error instanceof Damage) throw invalid(error.place);
    throw error;
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

/**
 * A damaged place in the content, named from the inside out as the error travels up through the lists that
 * hold it ("spentAt is not a UTC time", then "code 2 spentAt …", then "account 1 batch 1 code 2 spentAt …").
 * A sound content, the usual case, so never builds a place name at all.
 */
class Damage extends Error {
  readonly place: string;
  constructor(place: string) {
    super(place);
    this.place = place;
  }
}

/** A field's problem; `field` is empty when the item itself is the value (a code's text). */
function damage(field: string, what: string): Damage {
  return new Damage(field ? `${field} ${what}` : what);
}

/** Parses each item of a list, naming the item (`label` and its position) in any problem found in it. */
function items<T>(value: unknown, field: string, limit: number, label: string, parse: (item: unknown) => T): T[] {
  const list = capped(array(value, field), limit, field);
  const out = new Array<T>(list.length);
  for (let i = 0; i < list.length; i += 1) {
    try {
      out[i] = parse(list[i]);
    } catch (error) {
      if (error instanceof Damage) throw new Damage(`${label} ${i + 1} ${error.place}`);
      throw error;
    }
  }
  return out;
}

/** 5.2: the schema, with no rule across items (ids used twice are refused here, the rest is 5.3's). */
function readSchema(value: unknown): VaultContent {
  const root = record(value, 'the content');
  const version = root['version'] ?? 1;
  if (version !== 1 && version !== CONTENT_VERSION) {
    if (typeof version === 'number' && Number.isSafeInteger(version) && version > CONTENT_VERSION) {
      throw new VaultError('unsupported-version', `this vault has content version ${version}, which this lifeboat cannot read`, 'upgrade lifeboat on this device');
    }
    throw new Damage('the content version is not a known number');
  }
  const parsedClock = version === 1 ? {} : parseClock(root['clock']);
  const clock = Object.keys(parsedClock).length === 0 ? undefined : parsedClock;
  const accounts = items(root['accounts'], 'accounts', LIMITS.accounts, 'account', parseAccount);
  const tombstones = items(root['tombstones'], 'tombstones', LIMITS.tombstones, 'tombstone', parseTombstone);
  const parsed: VaultContent = clock === undefined ? { accounts, tombstones } : { accounts, tombstones, clock };
  const ids = new Set<string>();
  for (const account of accounts) {
    if (ids.has(account.id)) throw new Damage('an id is used twice');
    ids.add(account.id);
    for (const batch of account.batches) {
      if (ids.has(batch.id)) throw new Damage('an id is used twice');
      ids.add(batch.id);
    }
  }
  return parsed;
}

function parseAccount(value: unknown): Account {
  const account = record(value, '');
  const stamps = account['stamps'];
  const parsed: Account = {
    id: id(account['id'], 'id'),
    // 5.3: names are compared and kept in NFC; a file that holds another form is read in NFC.
    name: text(account['name'], 'name').normalize('NFC'),
    service: optionalText(account['service'], 'service'),
    username: optionalText(account['username'], 'username'),
    note: optionalText(account['note'], 'note'),
    createdAt: time(account['createdAt'], 'createdAt'),
    batches: items(account['batches'], 'batches', LIMITS.batchesPerAccount, 'batch', parseBatch),
  };
  if (stamps === undefined || stamps === null) return parsed;
  const read = parseStamps(stamps);
  return isLegacy(read.name) && isLegacy(read.service) && isLegacy(read.username) && isLegacy(read.note) ? parsed : { ...parsed, stamps: read };
}

function parseStamps(value: unknown): AccountStamps {
  const stamps = record(value, 'stamps');
  return {
    name: stamp(stamps['name'], 'stamps name'),
    service: stamp(stamps['service'], 'stamps service'),
    username: stamp(stamps['username'], 'stamps username'),
    note: stamp(stamps['note'], 'stamps note'),
  };
}

function parseBatch(value: unknown): Batch {
  const batch = record(value, '');
  const seq = batch['seq'];
  const parsed: Batch = {
    id: id(batch['id'], 'id'),
    addedAt: time(batch['addedAt'], 'addedAt'),
    source: text(batch['source'], 'source'),
    supersededAt: optionalTime(batch['supersededAt'], 'supersededAt'),
    printedAt: optionalTime(batch['printedAt'], 'printedAt'),
    copiedAt: optionalTime(batch['copiedAt'], 'copiedAt'),
    codes: items(batch['codes'], 'codes', LIMITS.codesPerBatch, 'code', parseCode),
  };
  if (seq === undefined || seq === null) return parsed;
  const read = stamp(seq, 'seq');
  return isLegacy(read) ? parsed : { ...parsed, seq: read };
}

function parseCode(value: unknown): Code {
  const code = record(value, '');
  const codeText = text(code['code'], '');
  const spentAt = optionalTime(code['spentAt'], 'spentAt');
  const marks = code['marks'];
  // The object JSON made is kept when it has exactly the shape of a Code: most of a large vault is codes.
  if ((marks === undefined || marks === null) && isPlainCode(code)) return code as unknown as Code;
  const parsed: Code = { code: codeText, spentAt };
  if (marks === undefined || marks === null) return parsed;
  const read = { ...parsed, marks: items(marks, 'marks', LIMITS.marksPerCode, 'mark', parseMark) };
  return impliedBySpentAt(read.marks, read.spentAt) ? parsed : read;
}

function parseMark(value: unknown): SpendMark {
  const mark = record(value, '');
  return { id: id(mark['id'], 'id'), at: time(mark['at'], 'at'), undoneAt: optionalTime(mark['undoneAt'], 'undoneAt') };
}

function isLegacy(value: Stamp): boolean {
  return value.n === 0 && value.d === '';
}

function parseTombstone(value: unknown): Tombstone {
  const entry = record(value, '');
  const parsed: Tombstone = { id: id(entry['id'], 'id'), removedAt: time(entry['removedAt'], 'removedAt') };
  const batches = entry['batches'];
  if (batches === undefined || batches === null) return parsed;
  return { ...parsed, batches: items(batches, 'batches', LIMITS.batchesPerAccount, 'batch', (item) => id(item, '')) };
}

function parseClock(value: unknown): Record<string, number> {
  if (value === undefined || value === null) return {};
  const clock = record(value, 'clock');
  const entries = Object.entries(clock);
  if (entries.length > LIMITS.devices) throw new Damage('clock has too many devices');
  const parsed: Record<string, number> = {};
  for (const [device, counter] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!DEVICE.test(device)) throw new Damage('clock has a malformed device id');
    parsed[device] = counter_(counter, 'clock');
  }
  return parsed;
}

function invalid(what: string): VaultError {
  return new VaultError('damaged', `the vault is damaged: ${what}`);
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw damage(field, 'is not an object');
  return value as Record<string, unknown>;
}

function array(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw damage(field, 'is not a list');
  return value;
}

function capped(list: unknown[], limit: number, field: string): unknown[] {
  if (list.length > limit) throw damage(field, `has more than ${limit} items`);
  return list;
}

/** 5.2: strings are capped too, so one field cannot hold megabytes. */
const MAX_TEXT = 65_536;

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw damage(field, 'is not a non-empty string');
  if (value.length > MAX_TEXT) throw damage(field, `is longer than ${MAX_TEXT} characters`);
  return value;
}

function optionalText(value: unknown, field: string): string | null {
  return value === null || value === undefined ? null : text(value, field);
}

/** 5.2: device ids are exactly 16 lowercase hex digits (ids of accounts, batches and spends: 5.3). */
const DEVICE = /^[0-9a-f]{16}$/;

function id(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) throw damage(field, 'is not an id');
  return value;
}

function counter_(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw damage(field, 'has a counter that is not a whole number');
  return value;
}

function stamp(value: unknown, field: string): Stamp {
  if (!Array.isArray(value) || value.length !== 2) throw damage(field, 'is not a stamp');
  const [n, d] = value as unknown[];
  const counter = counter_(n, field);
  if (typeof d !== 'string' || !(d === '' ? counter === 0 : DEVICE.test(d))) throw damage(field, 'is not a stamp');
  return { n: counter, d };
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function time(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ISO_TIME.test(value) || Number.isNaN(Date.parse(value))) throw damage(field, 'is not a UTC time');
  return value;
}

function optionalTime(value: unknown, field: string): string | null {
  return value === null || value === undefined ? null : time(value, field);
}
