#!/usr/bin/env bash
# The whole suite of an earlier commit and of the checkout, alternately, on the same machine:
# the only timing comparison this machine allows (its speed moves by up to 60 % within an hour).
#   bash scripts/side_by_side.sh COMMIT [ROUNDS]      # e.g. bash scripts/side_by_side.sh d9157fe 2
# Prints, per run: the tree, the pytest summary, wall / user / system seconds, and how long a
# fixed CPU loop took before and after (the machine's own speed at that time).
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
old=$(mktemp -d)/old
git worktree add -q "$old" "$1"
trap 'git -C "$here" worktree remove --force "$old"' EXIT
loop() { "$here/.venv/bin/python" -c 'import time; t = time.time(); s = 0
for i in range(20_000_000): s += i * i
print(round(time.time() - t, 2))'; }
run() {
  local before after summary times
  times=$(mktemp)
  before=$(loop)
  summary=$(cd "$1" && /usr/bin/time -f "%e %U %S" -o "$times" env -u PYTHONDONTWRITEBYTECODE PYTHONPATH="$1" \
    SHANHAI_DOCS_REQUIRED=1 "$here/.venv/bin/python" -m pytest -n 2 --dist loadfile -q -p no:cacheprovider 2>&1 |
    grep -E "passed|failed" | tail -1 || true)
  after=$(loop)
  echo "$1 | $summary | wall, user, system: $(tail -1 "$times") s | loop $before s, then $after s"
  rm -f "$times"
}
for _ in $(seq "${2:-2}"); do
  run "$old"
  run "$here"
done
