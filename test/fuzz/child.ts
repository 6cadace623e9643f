// The fuzzing process: `node <compiled>/test/fuzz/child.js TARGET MILLISECONDS [SEED [stop]]` prints one JSON FuzzReport.
// It runs outside vitest so that V8's coverage report holds our modules only (inside vitest each take cost ~8 ms).
// The engine is imported first: it switches block coverage on, which only functions compiled afterwards get.
import { fuzz } from './engine.js';
import { loadCrypto } from '../../src/vault/crypto.js';
import { TARGETS } from './targets.js';

const [name, milliseconds, seed, stop] = process.argv.slice(2);
if (name === undefined || !(name in TARGETS) || milliseconds === undefined) {
  process.stderr.write('usage: child.js vault|content|export|recognize|planted MILLISECONDS [SEED [stop]]\n');
  process.exit(2);
}
// Only the vault target needs libsodium; loading it elsewhere would put its many functions in every coverage take.
if (name === 'vault') await loadCrypto();
const report = fuzz(TARGETS[name as keyof typeof TARGETS](), {
  milliseconds: Number(milliseconds),
  seed: seed === undefined || seed === '' ? undefined : Number(seed),
  stopOnFinding: stop === 'stop',
  saveCorpus: process.env['LIFEBOAT_FUZZ_SAVE'] === '1',
});
process.stdout.write(`${JSON.stringify(report)}\n`);
