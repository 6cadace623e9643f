#!/usr/bin/env bash
# How long lifeboat takes to start, side by side with the floor it cannot beat (bench/README.md).
# Needs hyperfine (Debian: apt-get install hyperfine) and a build (npm install).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "bench: hyperfine is missing (apt-get install hyperfine)" >&2; exit 1; }
[ -f dist/cli/main.js ] || npm run build >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LIFEBOAT_PASSPHRASE_FILE="$work/passphrase"
printf 'benchmark passphrase\n' > "$LIFEBOAT_PASSPHRASE_FILE"
bin="node bin/lifeboat.js"
runs=${RUNS:-30}

# Ten accounts on a vault at the test hook's cost (1 pass, 8 KiB), for `list`.
cheap="$work/cheap.lifeboat"
LIFEBOAT_INSECURE_TEST_KDF=1 LIFEBOAT_VAULT="$cheap" $bin init 2>/dev/null
for i in $(seq 1 10); do
  node -e 'const n=+process.argv[1];for(let i=0;i<10;i++){const c=String((n*7919+i*104729)%1e8).padStart(8,"0");console.log(c.slice(0,4)+" "+c.slice(4))}' "$i" \
    | LIFEBOAT_INSECURE_TEST_KDF=1 LIFEBOAT_VAULT="$cheap" $bin add "account-$i" --yes 2>/dev/null
done

# One account with enough codes for every `use` run, on a vault at the default cost (64 MiB, 3 passes).
full="$work/default.lifeboat"
LIFEBOAT_VAULT="$full" $bin init 2>/dev/null
node -e 'for(let i=0;i<1000;i++){console.log("a"+i.toString(16).padStart(4,"0")+"-b"+(i*7919%65536).toString(16).padStart(4,"0"))}' \
  | LIFEBOAT_VAULT="$full" $bin add bench --yes 2>/dev/null || { echo "bench: could not set up the vault" >&2; exit 1; }

echo "== start-up: lifeboat --version against node -e 0"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/version.json" 'node -e 0' "$bin --version"
echo "== list on 10 accounts (1 pass, 8 KiB) against loading libsodium and deriving one key at that cost"
LIFEBOAT_INSECURE_TEST_KDF=1 LIFEBOAT_VAULT="$cheap" hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/list.json" \
  'node bench/derive.mjs 8 1' "$bin list"
echo "== use at the default cost (64 MiB, 3 passes) against loading libsodium and deriving one key at that cost"
LIFEBOAT_VAULT="$full" hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/use.json" \
  'node bench/derive.mjs 65536 3' "$bin use bench"

echo "== ratios (lifeboat mean / baseline mean; targets 1.5, 1.3, 1.15)"
node -e '
  const fs = require("fs");
  for (const [name, target] of [["version", 1.5], ["list", 1.3], ["use", 1.15]]) {
    const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + name + ".json", "utf8")).results;
    const ratio = r[1].mean / r[0].mean;
    console.log(`${name.padEnd(8)} ${(r[1].mean * 1000).toFixed(1)} ms vs ${(r[0].mean * 1000).toFixed(1)} ms: ${ratio.toFixed(2)}x (target ${target}x) ${ratio <= target ? "ok" : "MISSED"}`);
  }' "$work"
