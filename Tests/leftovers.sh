#!/usr/bin/env bash
# After the suite: fails if any test left a process running — a tmux server of the
# end-to-end tests (tmux -L chronoterm-test-…), a chronoterm started from this checkout
# (console, sync --daemon, sandbox, export), or an sshd or a PostgreSQL server started
# with a test's own config —
# whether the tests passed or failed. Names each, then ends it, so the next run (and
# the machine) start clean.
set -u
bin=$(readlink -f "$(cd "$(dirname "$0")/.." && pwd)/.build/debug/chronoterm")

leftovers() {
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    [ "$pid" = "$$" ] && continue
    exe=$(readlink "$dir/exe" 2>/dev/null) || continue
    args=$(tr '\0' ' ' < "$dir/cmdline" 2>/dev/null) || continue
    case "$args" in
      "tmux -L chronoterm-test-"*|*"chronoterm-test-sshd"*|*"chronoterm-test-pg"*) echo "$pid" ;;
      *) [ "$exe" = "$bin" ] && echo "$pid" ;;
    esac
  done
}

# A console that has just been hung up needs a moment to leave.
for _ in $(seq 1 50); do
  left=$(leftovers)
  [ -z "$left" ] && exit 0
  sleep 0.1
done
echo "The test suite left these running (each test must stop what it starts):"
ps -o pid,etime,args -p "$(echo $left | tr ' ' ',')"
kill -9 $left 2>/dev/null
exit 1
