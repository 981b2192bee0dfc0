#!/bin/bash
# Whole-process unpack timings against `tar xzf`, in a loop that treats every command alike
# (docs/PERFORMANCE.md, "The archive, session 8: unpack"): nothing is deleted while the loop runs
# (a delete, and the writeback of a tree just written, are paid by whichever process runs next),
# every command writes a new folder, `sync` (not timed) runs before each, and the order of the
# commands rotates round by round. One line per round:
#   load | tar | floor | floor+node | base | this — each "wall user sys maxrss" (/usr/bin/time).
#
# usage: bench/unpack_vs_tar.sh ROUNDS TREE.tgz CART.pxa FLOOR BASE_CHECKOUT DEST
#   FLOOR: the prefix `deno run -A bench/unpack_floor.ts prepare <tree> FLOOR` wrote
#   BASE_CHECKOUT: another checkout to compare with (e.g. `git worktree add --detach … main`)
#   DEST: a folder on the file system to measure; removed at the end
set -euo pipefail
[ $# -eq 6 ] || { sed -n 2,13p "$0"; exit 2; }
rounds=$1 tgz=$(realpath "$2") cart=$(realpath "$3") floor=$(realpath "$4") base=$(realpath "$5")
dest=$6 here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dest"
dest=$(realpath "$dest")
timed() { /usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1; }
run() { # command-name output-folder
  case $1 in
    tar) mkdir -p "$2" && timed tar xzf "$tgz" -C "$2" ;;
    floor) (cd "$here" && timed deno run -A bench/unpack_floor.ts write "$floor" "$2") ;;
    node) (cd "$here" && timed deno run -A bench/unpack_floor.ts write "$floor" "$2" --node) ;;
    base) (cd "$base" && timed deno run -A cli.ts unpack "$cart" -o "$2" -q) ;;
    this) (cd "$here" && timed deno run -A cli.ts unpack "$cart" -o "$2" -q) ;;
  esac
}
names=(tar floor node base this)
for ((i = 1; i <= rounds; i++)); do
  declare -A got=()
  load=$(cut -d' ' -f1 /proc/loadavg)
  for ((k = 0; k < ${#names[@]}; k++)); do
    name=${names[$(((k + i) % ${#names[@]}))]}
    sync
    got[$name]=$(run "$name" "$dest/r$i-$name")
  done
  diff -rq "$dest/r$i-tar" "$dest/r$i-this" >/dev/null || echo "round $i: trees differ" >&2
  echo "$load | ${got[tar]} | ${got[floor]} | ${got[node]} | ${got[base]} | ${got[this]}"
done
rm -rf "$dest"
