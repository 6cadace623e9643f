#!/usr/bin/env bash
# Merging two copies of a 10,000-account vault against reading one; `use` on a 10,000-account vault
# against `use` on a one-account vault at the same cost (bench/README.md, "Several devices").
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
node bench/make-vault.mjs "$work/one.lifeboat" 1
ls -l "$work"/a.lifeboat "$work"/b.lifeboat | awk '{print "bench: " $9 ": " $5 " bytes"}'

echo "== merge of two $accounts-account copies (--dry-run) against reading one of them (list)"
LIFEBOAT_VAULT="$work/a.lifeboat" hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/merge.json" \
  "$bin list --json" "$bin merge $work/b.lifeboat --dry-run --json"

# `use` changes the vault: each run works on a fresh copy, made in the prepare step for both commands, and
# with a fresh private state (else the next run would rightly see a vault that went back in time).
echo "== use on a $accounts-account vault against use on a one-account vault (same cost)"
hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/use.json" \
  --prepare "sh -c 'rm -rf $work/state && cp $work/a.lifeboat $work/a-use.lifeboat && cp $work/one.lifeboat $work/one-use.lifeboat'" \
  "env LIFEBOAT_VAULT=$work/one-use.lifeboat $bin use account-0" "env LIFEBOAT_VAULT=$work/a-use.lifeboat $bin use account-5"

node -e '
  const fs = require("fs");
  for (const [name, target] of [["merge", 3], ["use", 1.5]]) {
    const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + name + ".json", "utf8")).results;
    console.log(`${name}: ${(r[1].mean / r[0].mean).toFixed(2)}x (${(r[1].mean * 1000).toFixed(0)} ms against ${(r[0].mean * 1000).toFixed(0)} ms; target ${target}x)`);
  }
' "$work"
