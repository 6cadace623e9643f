#!/usr/bin/env bash
# Merging two copies of a 10,000-account vault against reading one; `use` on a 10,000-account vault
# against `use` on a one-account vault at the same cost, lifeboat's default (bench/README.md, "Several
# devices"), beside the same change to each file with nothing of lifeboat's logic (bench/format-floor.mjs).
# Needs hyperfine (Debian: apt-get install hyperfine) and a build (npm install).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "bench: hyperfine is missing (apt-get install hyperfine)" >&2; exit 1; }
[ -f dist/cli/main.js ] || npm run build >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LIFEBOAT_PASSPHRASE='benchmark passphrase' XDG_STATE_HOME="$work/state" LIFEBOAT_INSECURE_TEST_KDF=1
accounts=${ACCOUNTS:-10000}
runs=${RUNS:-10}
bin="node bin/lifeboat.js"

node bench/make-vault.mjs "$work/a.lifeboat" "$accounts"
node bench/make-vault.mjs "$work/b.lifeboat" "$accounts" other
COST=default node bench/make-vault.mjs "$work/big.lifeboat" "$accounts"
COST=default node bench/make-vault.mjs "$work/one.lifeboat" 1
ls -l "$work"/a.lifeboat "$work"/b.lifeboat "$work"/big.lifeboat | awk '{print "bench: " $9 ": " $5 " bytes"}'

echo "== merge of two $accounts-account copies (--dry-run) against reading one of them (list)"
LIFEBOAT_VAULT="$work/a.lifeboat" hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/merge.json" \
  "$bin list --json" "$bin merge $work/b.lifeboat --dry-run --json"

# `use` changes the vault: each run works on a fresh copy, made in the prepare step for both commands, and
# with a fresh private state (else the next run would rightly see a vault that went back in time). Both
# vaults have the default key-derivation cost (64 MiB, 3 passes), as every vault `init` makes.
echo "== use on a $accounts-account vault against use on a one-account vault (both at the default cost), and the format's floor"
hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/use.json" \
  --prepare "sh -c 'rm -rf $work/state && cp $work/big.lifeboat $work/big-use.lifeboat && cp $work/one.lifeboat $work/one-use.lifeboat'" \
  "env -u LIFEBOAT_INSECURE_TEST_KDF LIFEBOAT_VAULT=$work/one-use.lifeboat $bin use account-0" "env -u LIFEBOAT_INSECURE_TEST_KDF LIFEBOAT_VAULT=$work/big-use.lifeboat $bin use account-5" \
  "node bench/format-floor.mjs $work/one.lifeboat" "node bench/format-floor.mjs $work/big.lifeboat"

node -e '
  const fs = require("fs");
  const results = (name) => JSON.parse(fs.readFileSync(process.argv[1] + "/" + name + ".json", "utf8")).results;
  const ms = (r) => (r.mean * 1000).toFixed(0);
  const merge = results("merge");
  console.log(`merge: ${(merge[1].mean / merge[0].mean).toFixed(2)}x (${ms(merge[1])} ms against ${ms(merge[0])} ms; target 3x)`);
  const [one, big, floorOne, floorBig] = results("use");
  console.log(`use: ${(big.mean / one.mean).toFixed(2)}x (${ms(big)} ms against ${ms(one)} ms; target 1.5x, so at most ${((one.mean * 1.5) * 1000).toFixed(0)} ms)`);
  console.log(`use adds ${((big.mean - one.mean) * 1000).toFixed(0)} ms for the large vault; the format alone adds ${((floorBig.mean - floorOne.mean) * 1000).toFixed(0)} ms (${ms(floorBig)} ms against ${ms(floorOne)} ms)`);
' "$work"
