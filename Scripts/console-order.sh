#!/usr/bin/env bash
# Writes Scripts/console.order: the functions an idle console runs, in the order the
# release link lays them out (lld's --symbol-ordering-file, see the Makefile's
# RELEASE_FLAGS), so that the code one console touches sits together in a few megabytes
# instead of scattered over the binary's 45 MB of text. Every page of text a console
# touches is mapped with its 64 kB neighbours (the kernel's fault-around), so scattered
# code costs resident memory per console; laid out together, 47 -> 40 MiB each (#28,
# BENCHMARKS.md).
#
# How: `chronoterm-bench consoles practice 1 1` brings a practice at work up with a
# console on it; a second console on the same profile runs under valgrind's callgrind
# for 90 s (start-up, the schedule drawn, the day's commits read) and quits; the
# functions it called that the binary defines are the list. Run it after a change that
# moves much code (a stale list only loosens the layout: names it lacks are placed as
# before). Needs valgrind, tmux, python3 and a release build (make bench builds one).
#
#   Scripts/console-order.sh [.build/release]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-.build/release}")
out=Scripts/console.order
for tool in valgrind tmux python3 nm objcopy; do
  command -v "$tool" >/dev/null || { echo "console-order: $tool is missing (apt-get install valgrind tmux python3 binutils)" >&2; exit 1; }
done
[ -x "$bin/chronoterm" ] && [ -x "$bin/chronoterm-bench" ] || { echo "console-order: build first: make bench (or $bin has no chronoterm)" >&2; exit 1; }

work=$(mktemp -d)
socket=chronoterm-order
cleanup() { tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

echo "console-order: a practice at work, with a console on it (chronoterm-bench)…"
"$bin/chronoterm-bench" consoles practice 1 1 >"$work/bench.log" 2>&1 &
bench=$!
pid=""
for _ in $(seq 300); do
  pid=$(pgrep -f "^$bin/chronoterm console" | head -1 || true)
  [ -n "$pid" ] && break
  sleep 1
done
[ -n "$pid" ] || { echo "console-order: the bench's console never started:" >&2; cat "$work/bench.log" >&2; exit 1; }
env=$(tr '\0' '\n' <"/proc/$pid/environ" | grep -E '^(XDG_CONFIG_HOME|CHRONOTERM_PROFILE|CHRONOTERM_KEY_FILE)=' | tr '\n' ' ')

# valgrind 3.19 cannot read the DWARF 5 the toolchain writes: it runs a copy without it.
objcopy --strip-debug "$bin/chronoterm" "$work/chronoterm"
echo "console-order: a console under callgrind for 90 s…"
tmux -L "$socket" new-session -d -x 120 -y 40 \
  "env $env valgrind --tool=callgrind --demangle=no --callgrind-out-file=$work/calls.out $work/chronoterm console 2>$work/valgrind.log"
sleep 90
tmux -L "$socket" send-keys q
for _ in $(seq 60); do
  grep -q "I *refs" "$work/valgrind.log" 2>/dev/null && break
  sleep 1
done
wait "$bench" || true

nm --defined-only "$bin/chronoterm" | awk '$2 ~ /^[tTwW]$/ { print $3 }' >"$work/defined"
python3 - "$work/calls.out" "$work/defined" "$out" <<'EOF'
import re, sys
calls, defined, out = sys.argv[1:]
names = set(open(defined).read().split())
seen, order = set(), []
for line in open(calls):
    match = re.match(r"^c?fn=\(\d+\) (\S+)", line)
    if match and match.group(1) in names and match.group(1) not in seen:
        seen.add(match.group(1))
        order.append(match.group(1))
if len(order) < 1000:
    sys.exit(f"console-order: only {len(order)} functions seen; the console did not run (see valgrind's log)")
open(out, "w").write("\n".join(order) + "\n")
print(f"console-order: {len(order)} functions -> {out}")
EOF
