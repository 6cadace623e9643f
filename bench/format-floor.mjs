// What a change to a vault file costs with nothing of lifeboat's own logic in it (bench/README.md, "Several
// devices"): read the file, derive its key, decrypt, JSON.parse, JSON.stringify, encrypt, and write it twice
// crash-safely (temp file, fsync, rename), as a save and its backup do. No schema, no rules, no lock.
//   LIFEBOAT_PASSPHRASE=… node bench/format-floor.mjs VAULT
// It writes VAULT.floor and VAULT.floor-backup beside VAULT (under a fresh nonce), never VAULT itself, and removes
// them at the end: they stand for the bytes a save writes, not for a vault.
import fs from 'node:fs';
import { NONCE_BYTES, loadCrypto, open, randomBytes, seal } from '../dist/vault/crypto.js';
import { CIPHERTEXT_OFFSET, deriveForHeader, parseHeader } from '../dist/vault/format.js';

const [file] = process.argv.slice(2);
await loadCrypto();
const bytes = fs.readFileSync(file);
const header = parseHeader(bytes);
const keys = deriveForHeader(new TextEncoder().encode(process.env.LIFEBOAT_PASSPHRASE ?? ''), header);
const plaintext = open(keys.encryption, header.nonce, bytes.subarray(CIPHERTEXT_OFFSET), header.bytes);
if (!plaintext) throw new Error('wrong passphrase');
const content = JSON.parse(Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength).toString('utf8'));
const sealed = seal(keys.encryption, randomBytes(NONCE_BYTES), Buffer.from(JSON.stringify(content)), header.bytes);
for (const target of [`${file}.floor`, `${file}.floor-backup`]) {
  const fd = fs.openSync(`${target}.tmp`, 'w', 0o600);
  fs.writeSync(fd, bytes.subarray(0, CIPHERTEXT_OFFSET));
  fs.writeSync(fd, sealed);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(`${target}.tmp`, target);
}
for (const target of [`${file}.floor`, `${file}.floor-backup`]) fs.rmSync(target);
