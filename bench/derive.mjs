// Baseline for bench/startup.sh: a Node process that only loads libsodium and derives one key,
// at the cost given on the command line (memory in KiB, passes), exactly as lifeboat does (64 bytes out).
import sodium from 'libsodium-wrappers-sumo';

const [memoryKiB, passes] = process.argv.slice(2).map(Number);
await sodium.ready;
const salt = sodium.randombytes_buf(16);
sodium.crypto_pwhash(64, sodium.from_string('benchmark passphrase'), salt, passes, memoryKiB * 1024, sodium.crypto_pwhash_ALG_ARGON2ID13);
