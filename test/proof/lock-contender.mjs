// One contender for the lock of a vault (test/proof/concurrency.ts): waits until a given moment, takes
// the lock with the real acquireLock (dist/vault/lock.js), holds it a few milliseconds while owning a marker
// file created exclusively (a second holder would fail to create it), releases it, and appends one line
// `<pid> <start ns> <end ns> <overlap 0|1> <error>` to a log with a single O_APPEND write.
//   node lock-contender.mjs VAULT START_AT_MS HOLD_MS LOG
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [vault = '', startAt = '0', holdMs = '3', log = ''] = process.argv.slice(2);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { acquireLock } = await import(pathToFileURL(path.join(root, 'dist', 'vault', 'lock.js')).href);

const wait = Number(startAt) - Date.now();
if (wait > 0) await sleep(wait);
let line;
try {
  const lock = await acquireLock(vault, 10_000);
  const start = process.hrtime.bigint();
  let overlap = 0;
  const marker = `${vault}.holder`;
  try {
    fs.closeSync(fs.openSync(marker, 'wx'));
  } catch {
    overlap = 1;
  }
  await sleep(Number(holdMs));
  if (!overlap) fs.unlinkSync(marker);
  const end = process.hrtime.bigint();
  lock.release();
  line = `${process.pid} ${start} ${end} ${overlap} -\n`;
} catch (error) {
  line = `${process.pid} 0 0 0 ${String(error?.kind ?? error?.code ?? 'error')}\n`;
}
fs.writeFileSync(log, line, { flag: 'a' });
