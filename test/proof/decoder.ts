import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { requireTools } from '../support/tools.js';
import { loadVectors, REPAIRABLE, type Vector } from '../support/vectors.js';
import { ROOT, proofBox } from './support.js';

/**
 * Shared by decoder.test.ts and decoder.slow.test.ts: docs/decrypt.py (PyNaCl) and `lifeboat export
 * --plaintext --format json` on the checked-in test vaults must print the same bytes and exit alike.
 */

const PYTHON = '/usr/bin/python3';
const DECRYPT = path.join(ROOT, 'docs', 'decrypt.py');
const hasNacl = (): boolean => spawnSync(PYTHON, ['-c', 'import nacl.bindings, nacl.pwhash'], { stdio: 'ignore' }).status === 0;

/** Whether the decoder can run here (python3-nacl under /usr/bin/python3, and the script); fails under CI if not. */
export function decoderReady(): boolean {
  return requireTools(['python3-nacl (import nacl under /usr/bin/python3)'], hasNacl) && fs.existsSync(DECRYPT);
}

/** What comparing the two decoders came to. */
export interface DecoderComparison {
  readonly oks: number;
  readonly sameOk: number;
  readonly refused: number;
  readonly sameRefused: number;
  readonly mismatches: string[];
}

/** Runs both decoders on each vector picked. */
export async function compareDecoders(pick: (vector: Vector) => boolean): Promise<DecoderComparison> {
  const vectors = loadVectors().filter(pick);
  const box = proofBox();
  const mismatches: string[] = [];
  let sameOk = 0;
  let sameRefused = 0;
  try {
    fs.mkdirSync(box.folder, { mode: 0o700 });
    for (const vector of vectors) {
      const file = path.join(box.folder, `${vector.name}.lifeboat`);
      fs.copyFileSync(vector.file, file);
      fs.chmodSync(file, 0o600);
      const passFile = path.join(box.dir, 'vector-pass.txt');
      fs.writeFileSync(passFile, `${vector.passphrase}\n`, { mode: 0o600 });
      const python = spawnSync(PYTHON, [DECRYPT, file], {
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LIFEBOAT_PASSPHRASE_FILE: passFile },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 60_000,
      });
      const lifeboat = await box.run(['export', '--plaintext', '--format', 'json'], { env: { LIFEBOAT_VAULT: file, LIFEBOAT_PASSPHRASE_FILE: passFile } });
      const samePlaintext = python.stdout.toString('utf8') === lifeboat.stdout;
      if (REPAIRABLE.has(vector.name)) {
        // 5.4: the strict decoder refuses it; lifeboat opens it repaired and says so.
        if (python.status === 3 && lifeboat.status === 0 && lifeboat.stderr.includes('was repaired in memory')) sameRefused += 1;
        else mismatches.push(`${vector.name} (repairable): python exit ${python.status}, lifeboat exit ${lifeboat.status}; ${lifeboat.stderr.trim()}`);
        continue;
      }
      if (python.status !== lifeboat.status || !samePlaintext || (vector.expect === 'ok' && lifeboat.stdout === '')) {
        mismatches.push(`${vector.name} (${vector.expect}): python exit ${python.status}, lifeboat exit ${lifeboat.status}, same stdout ${samePlaintext}; ${python.stderr.toString().trim()} | ${lifeboat.stderr.trim()}`);
      } else if (vector.expect === 'ok') {
        sameOk += 1;
      } else {
        sameRefused += 1;
      }
    }
  } finally {
    box.cleanup();
  }
  const oks = vectors.filter((v) => v.expect === 'ok').length;
  return { oks, sameOk, refused: vectors.length - oks, sameRefused, mismatches };
}

/** The figure line. */
export function describeComparison(c: DecoderComparison, scope: string): string {
  return `independent decoder (docs/decrypt.py, PyNaCl${scope}): ${c.sameOk}/${c.oks} vaults byte-identical to \`lifeboat export --plaintext --format json\`, ${c.sameRefused}/${c.refused} unopenable ones refused with the same exit status (of which ${REPAIRABLE.size} break only a consistency rule: refused by the script, opened repaired by lifeboat)`;
}
