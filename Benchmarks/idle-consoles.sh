#!/bin/bash
# Idle cost of open consoles on one practice profile (BENCHMARKS.md, "Many consoles on one
# profile, idle"): a practice-size sandbox, one profile loaded, its `sync --daemon`, then 1,
# 10 and 25 consoles in tmux sessions of their own (120x40, nobody typing); CPU time of the
# console processes over 60 s after 20 s of settling (/proc/PID/stat), resident memory,
# and the requests DrChrono saw in that minute.
#
#   Benchmarks/idle-consoles.sh [path/to/chronoterm]     (default: .build/release/chronoterm)
#   COUNTS="1 25" Benchmarks/idle-consoles.sh            (other numbers of consoles)
#
# Works in /tmp/chronoterm-idle; uses port 18795 and the tmux socket "chronoterm-idle".
set -u
B=$(realpath "${1:-.build/release/chronoterm}")
W=/tmp/chronoterm-idle
mkdir -p $W
export XDG_CONFIG_HOME=$W/home CHRONOTERM_KEY_FILE=$W/key CHRONOTERM_PROFILE=idle
rm -rf $W/home; mkdir -p $W/home; chmod 700 $W/home
head -c 32 /dev/urandom > $W/key; chmod 600 $W/key
$B sandbox --size practice --port 18795 > $W/sandbox.log 2>&1 &
SB=$!
for i in $(seq 1 300); do grep -q "listening on" $W/sandbox.log && break; sleep 0.2; done
URL=http://127.0.0.1:18795
rm -f $W/in; mkfifo $W/in
( $B login --server $URL --paste < $W/in > $W/login.out 2> $W/login.err ) &
LOGIN=$!
exec 3> $W/in
for i in $(seq 1 100); do grep -q "/o/authorize/" $W/login.err && break; sleep 0.1; done
LINK=$(grep -o 'http://127.0.0.1:18795/o/authorize/[^ ]*' $W/login.err | head -1)
LOC=$(curl -s -o /dev/null -w '%{redirect_url}' "$LINK")
echo "$LOC" >&3; exec 3>&-
wait $LOGIN
$B sync --once > /dev/null 2>&1
$B sync --daemon > $W/daemon.log 2>&1 &
D=$!
HZ=$(getconf CLK_TCK)
for N in ${COUNTS:-1 10 25}; do
  tmux -L chronoterm-idle kill-server 2>/dev/null; sleep 1  # a server still exiting refuses the next session
  for i in $(seq 1 $N); do
    tmux -L chronoterm-idle new-session -d -s c$i -x 120 -y 40 "XDG_CONFIG_HOME=$XDG_CONFIG_HOME CHRONOTERM_KEY_FILE=$CHRONOTERM_KEY_FILE CHRONOTERM_PROFILE=idle $B console"
  done
  sleep 20
  PIDS=$(pgrep -f "^$B console" | tr '\n' ' ')
  t0=0; for p in $PIDS; do t0=$((t0 + $(awk '{print $14+$15}' /proc/$p/stat))); done
  curl -s -X DELETE $URL/_sandbox/requests
  sleep 60
  t1=0; rss=0; n=0; for p in $PIDS; do t1=$((t1 + $(awk '{print $14+$15}' /proc/$p/stat))); rss=$((rss + $(awk '/VmRSS/{print $2}' /proc/$p/status))); n=$((n+1)); done
  req=$(curl -s $URL/_sandbox/requests | python3 -c "import json,sys; print(json.load(sys.stdin)['total'])")
  python3 -c "
n=$n; ticks=$t1-$t0; hz=$HZ
print('consoles %d: CPU %.2f%% of one core in all (%.3f%% each) over 60 s; RSS %.0f MiB each; requests in the minute: %s' % (n, 100.0*ticks/hz/60, 100.0*ticks/hz/60/max(n,1), $rss/1024.0/max(n,1), '$req'))"
done
tmux -L chronoterm-idle kill-server 2>/dev/null
kill $D $SB
