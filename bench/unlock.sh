#!/usr/bin/env bash
# `use` during an unlock session, side by side with `use` with the passphrase and with `node -e 0` (bench/README.md).
# Needs hyperfine (Debian: apt-get install hyperfine) and a build (npm install).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "bench: hyperfine is missing (apt-get install hyperfine)" >&2; exit 1; }
[ -f dist/cli/main.js ] || npm run build >/dev/null

work=$(mktemp -d)
# A runtime folder of our own for the session, and an empty one for the runs that must not find it.
session_run="$work/run"
no_session_run="$work/run-none"
mkdir -m 700 "$session_run" "$no_session_run"
bin="node bin/lifeboat.js"
export LIFEBOAT_VAULT="$work/default.lifeboat"
# The session ends with the script, whatever happens; the folder goes with it.
trap 'XDG_RUNTIME_DIR="$session_run" $bin lock >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
printf 'benchmark passphrase\n' > "$work/passphrase"
runs=${RUNS:-30}

# One account with enough codes for every `use` run, on a vault at the default cost (64 MiB, 3 passes).
LIFEBOAT_PASSPHRASE_FILE="$work/passphrase" $bin init 2>/dev/null
node -e 'for(let i=0;i<1000;i++){console.log("a"+i.toString(16).padStart(4,"0")+"-b"+(i*7919%65536).toString(16).padStart(4,"0"))}' \
  | LIFEBOAT_PASSPHRASE_FILE="$work/passphrase" $bin add bench --yes 2>/dev/null || { echo "bench: could not set up the vault" >&2; exit 1; }
XDG_RUNTIME_DIR="$session_run" LIFEBOAT_PASSPHRASE_FILE="$work/passphrase" $bin unlock --for 30m 2>/dev/null

echo "== use during an unlock session, against use with the passphrase (64 MiB, 3 passes) and node -e 0"
# The passphrase file is set for every run; the session's run finds the agent first and never reads it.
LIFEBOAT_PASSPHRASE_FILE="$work/passphrase" hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/unlock.json" \
  "env XDG_RUNTIME_DIR=$no_session_run node -e 0" \
  "env XDG_RUNTIME_DIR=$session_run $bin use bench" \
  "env XDG_RUNTIME_DIR=$no_session_run $bin use bench"

echo "== ratios to node -e 0 (target for the unlocked use: 2.5x): wall-clock mean, and CPU (user + system), steadier on a busy machine"
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results;
  const cpu = (x) => x.user + x.system;
  const line = (name, x) => console.log(`${name.padEnd(18)} ${(x.mean * 1000).toFixed(1)} ms = ${(x.mean / r[0].mean).toFixed(2)}x, CPU ${(cpu(x) * 1000).toFixed(1)} ms = ${(cpu(x) / cpu(r[0])).toFixed(2)}x`);
  line("node -e 0", r[0]);
  line("use, unlocked", r[1]);
  line("use, passphrase", r[2]);
  const ratio = r[1].mean / r[0].mean;
  console.log(`unlocked use: ${ratio.toFixed(2)}x node -e 0 (target 2.5x) ${ratio <= 2.5 ? "ok" : "MISSED"}; ${(r[2].mean / r[1].mean).toFixed(2)}x faster than with the passphrase`);' "$work/unlock.json"
