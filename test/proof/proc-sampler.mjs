// Samples every process's command line and environment (/proc/<pid>/cmdline, environ) in a tight loop
// until its standard input closes, looking for any of the secrets listed (one per line) in SECRETS_FILE,
// then writes a JSON summary to OUT_FILE (test/proof/secrets.test.ts). The secrets are random per run, so
// a hit can only come from the processes under test. Its own argv and environment hold no secret.
//   node proc-sampler.mjs SECRETS_FILE OUT_FILE MARKER...
// A process is counted as "ours" when its command line or environment contains one of the MARKERs (the
// sandbox folder: in LIFEBOAT_VAULT, XDG_RUNTIME_DIR or the lp stub's path, so other tests' processes on a
// shared machine are not counted; every process is still searched for the secrets).
import fs from 'node:fs';

const [secretsFile = '', outFile = '', ...markers] = process.argv.slice(2);
const secrets = fs
  .readFileSync(secretsFile, 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => {
    const [kind, ...rest] = line.split('\t');
    return { kind, bytes: Buffer.from(rest.join('\t'), 'utf8') };
  });
fs.unlinkSync(secretsFile);

let stop = false;
process.stdin.on('end', () => (stop = true)).resume();

const ours = new Map(); // pid -> { name, samples }
const hits = new Map(); // `${pid} ${where} ${kind}` -> hit
let passes = 0;
let reads = 0;

function read(file) {
  try {
    reads += 1;
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}

function scan() {
  passes += 1;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const first = read(`/proc/${entry}/cmdline`);
    if (!first) continue;
    const environ = read(`/proc/${entry}/environ`);
    // Read the command line again after the environment: a process caught inside execve shows an empty
    // command line for an instant. The second read is never older than the environment just read, so a
    // child is never mistaken for its parent (at worst the other way round, which fails the test).
    const second = read(`/proc/${entry}/cmdline`);
    const cmdline = second && second.length > 0 ? second : first;
    const command = cmdline.toString('utf8').split('\0').filter(Boolean);
    const isOurs = markers.some((marker) => cmdline.includes(marker) || first.includes(marker) || (environ !== null && environ.includes(marker)));
    if (isOurs) {
      const name = command.slice(0, 3).map((word) => word.split('/').pop()).join(' ').slice(0, 80);
      const seen = ours.get(entry) ?? { name, samples: 0 };
      seen.samples += 1;
      ours.set(entry, seen);
    }
    for (const [where, bytes] of [['cmdline', first], ['cmdline', second], ['environ', environ]]) {
      if (!bytes) continue;
      for (const secret of secrets) {
        if (bytes.includes(secret.bytes)) {
          const key = `${entry} ${where} ${secret.kind}`;
          if (!hits.has(key)) {
            const first = command[0]?.split('/').pop() ?? '?';
            hits.set(key, { pid: Number(entry), where, kind: secret.kind, ours: isOurs, command: `${first} ${command.slice(1).map((w) => w.split('/').pop()).join(' ')}`.slice(0, 120) });
          }
        }
      }
    }
  }
}

while (!stop) {
  scan();
  await new Promise((resolve) => setImmediate(resolve));
}
fs.writeFileSync(
  outFile,
  JSON.stringify({ passes, reads, ours: [...ours.entries()].map(([pid, v]) => ({ pid: Number(pid), ...v })), hits: [...hits.values()] }),
);
