/**
 * Entry point of the detached clipboard clearer, spawned by `copy` in src/output/clipboard.ts as
 * `node dist/cli/clipboard-clearer.js` with a minimal environment and nothing else on its command line.
 *
 * It reads one JSON request from stdin ({ v, delayMs, salt, hash, generation, stateDir }: no secret, only a salted
 * hash), waits, clears the clipboard if it still holds the copied text and no newer copy took over, and exits. It never
 * prints (its stdout and stderr are closed anyway) and exits 1 on a malformed request without touching the clipboard.
 */
import { clipboardyBackend, generationFile, parseClearRequest, runClearer, type GenerationStore } from '../output/clipboard.js';
import { privateFolder } from '../vault/index.js';

/** A request is about 250 bytes; anything much larger is not ours. */
const MAX_REQUEST_BYTES = 4096;

async function readRequest(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_REQUEST_BYTES) throw new Error('clear request too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The generation file, if its folder is still private. If it is not (someone changed its mode or swapped it), a token
 * found there cannot be trusted to mean "a newer copy took over": the clearer then ignores it and clears when the
 * clipboard still holds its text, the safe side for a secret.
 */
function generations(stateDir: string): GenerationStore {
  try {
    privateFolder(stateDir);
    return generationFile(stateDir);
  } catch {
    return { read: async () => null, write: async () => undefined, remove: async () => undefined };
  }
}

async function main(): Promise<number> {
  try {
    const request = parseClearRequest(await readRequest());
    const outcome = await runClearer(clipboardyBackend(), request, generations(request.stateDir));
    return outcome === 'unavailable' ? 1 : 0;
  } catch {
    return 1;
  }
}

process.exitCode = await main();
