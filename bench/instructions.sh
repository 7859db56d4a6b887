#!/bin/bash
# Instructions the analysis executes on a fixed workload, at a given commit (default HEAD), counted by callgrind:
#   bash bench/instructions.sh [commit] [workload commit]
# The workload is the fixture and example scripts (test/fixtures/scripts, examples) as they were at the workload commit
# (default 3b290ff, where issue 14's speed limit was set), so commits are compared on the same input. Needs valgrind
# (apt-get install valgrind). Takes minutes: node runs --jitless under valgrind.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
commit=$(git -C "$root" rev-parse --short "${1:-HEAD}")
workload=${2:-3b290ff}
tmp=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$tmp/wt" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/scripts"
git -C "$root" ls-tree -r --name-only "$workload" | grep -E '^(test/fixtures/scripts|examples)/[^/]*\.(py|ipynb)$' |
  while read -r f; do git -C "$root" show "$workload:$f" > "$tmp/scripts/$(echo "$f" | tr / _)"; done
git -C "$root" worktree add -f -q "$tmp/wt" "$commit"
ln -sfn "$root/node_modules" "$tmp/wt/node_modules"
cp "$root/bench/instructions.driver.ts" "$tmp/wt/bench/instructions.driver.ts"
(cd "$tmp/wt" && npx esbuild bench/instructions.driver.ts --bundle --platform=node --target=node20 --outfile="$tmp/driver.js" --log-level=warning)
CG_SCRIPTS="$tmp/scripts" valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" node --jitless "$tmp/driver.js" 2>&1 |
  grep -E '^analyses|Collected' | sed "s/^==[0-9]*== Collected :/$commit instructions:/"
