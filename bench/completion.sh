#!/usr/bin/env bash
# What a TAB costs: `lifeboat __complete accounts` (run for account names) and `lifeboat completion bash`
# (run once, when the shell starts), side by side with `node -e 0`. Commands, options and file names
# complete inside the shell without starting Node at all. Needs hyperfine and a build (npm install).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "bench: hyperfine is missing (apt-get install hyperfine)" >&2; exit 1; }
[ -f dist/cli/main.js ] || npm run build >/dev/null
node=${NODE:-node}
hyperfine -N --warmup 3 --runs "${RUNS:-20}" "$node -e 0" "$node bin/lifeboat.js __complete accounts" "$node bin/lifeboat.js completion bash"
