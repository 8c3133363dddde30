#!/usr/bin/env bash
# How long `chronoterm sandbox` takes from start to serving, per practice size, and how
# much memory the practice holds. Usage: Benchmarks/sandbox-startup.sh BINARY [RUNS]
set -euo pipefail
bin=${1:?usage: sandbox-startup.sh path/to/chronoterm [runs]}
runs=${2:-3}
printf '%-10s %10s %10s %12s\n' size "best (s)" "worst (s)" "RSS (MiB)"
for size in small practice large; do
  best=""; worst=""; rss=0
  for _ in $(seq 1 "$runs"); do
    log=$(mktemp)
    start=$(date +%s.%N)
    "$bin" sandbox --size "$size" --port 0 >"$log" 2>&1 &
    pid=$!
    until grep -q "listening on" "$log"; do
      kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
      sleep 0.02
    done
    end=$(date +%s.%N)
    rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
    kill "$pid"; wait "$pid" 2>/dev/null || true; rm -f "$log"
    t=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
    best=$(awk -v t="$t" -v b="${best:-$t}" 'BEGIN { print (t < b ? t : b) }')
    worst=$(awk -v t="$t" -v w="${worst:-$t}" 'BEGIN { print (t > w ? t : w) }')
  done
  printf '%-10s %10.2f %10.2f %12s\n' "$size" "$best" "$worst" "$rss"
done
