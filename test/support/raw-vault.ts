import fs from 'node:fs';
import path from 'node:path';
import { deriveKeys, keyCheck, loadCrypto, seal, sha256 } from '../../src/vault/crypto.js';
import { CIPHERTEXT_OFFSET, HEADER_BYTES, MINIMUM_COST, buildHeader, newSalt } from '../../src/vault/format.js';
import { PASSPHRASE } from './cli.js';

/**
 * Writes a vault file straight from a JavaScript value, below every validation of content on the way in
 * (add, import, merge, save): the bytes of docs/vault-format.md sections 2 to 5, built from the crypto
 * primitives, with the plaintext JSON padded with spaces to 512 bytes (5.1). For tests of what lifeboat
 * does with a vault that holds what no command would have let in (a hostile or foreign writer).
 */
export async function writeRawVault(file: string, content: unknown, passphrase: string = PASSPHRASE): Promise<void> {
  await loadCrypto();
  const salt = newSalt();
  const cost = MINIMUM_COST;
  const keys = deriveKeys(new TextEncoder().encode(passphrase.normalize('NFC')), salt, cost.passes, cost.memoryKiB);
  const header = buildHeader(cost, salt);
  const json = new TextEncoder().encode(JSON.stringify(content));
  const plaintext = new Uint8Array(Math.ceil((json.length + 1) / 512) * 512).fill(0x20);
  plaintext.set(json, 0);
  const ciphertext = seal(keys.encryption, header.nonce, plaintext, header.bytes);
  const bytes = new Uint8Array(CIPHERTEXT_OFFSET + ciphertext.length);
  bytes.set(header.bytes, 0);
  bytes.set(keyCheck(keys.check, header.bytes), HEADER_BYTES);
  bytes.set(sha256(bytes.subarray(0, HEADER_BYTES + 32)), HEADER_BYTES + 32);
  bytes.set(ciphertext, CIPHERTEXT_OFFSET);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, bytes, { mode: 0o600 });
}
