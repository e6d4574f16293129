#!/usr/bin/env bash
# make bench: the host's hot paths under wrk on loopback, as ratios within one run
# (absolute req/s swing 2x from minute to minute on these machines).
#   DURATION=10 CONNS=64 THREADS=2 REPS=3 scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
BIN=$BUILD_DIR/bin/switchboard
DURATION=${DURATION:-10}; CONNS=${CONNS:-64}; THREADS=${THREADS:-2}; REPS=${REPS:-3}
command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)"; exit 1; }

work=$(mktemp -d); trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/bench.yaml" <<YAML
server: {listen: "127.0.0.1:$port", io_threads: 1, worker_threads: 2}
database: {url: "sqlite:$work/bench.db"}
logging: {level: warn}
auth: {admin_keys: ["bench-admin"]}
plugins:
  directories: ["$PWD/$BUILD_DIR/plugins"]
  load: [{name: vapi}, {name: openai_realtime}, {name: livekit_sip}]
orgs: [{id: bench, api_keys: ["bench-key"]}]
YAML
"$BIN" serve --config "$work/bench.yaml" >"$work/host.log" 2>&1 & pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
sleep 1
rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
echo "idle RSS: $((rss_kb / 1024)) MiB ($rss_kb kB)"

cat > "$work/auth.lua" <<'LUA'
wrk.headers["Authorization"] = "Bearer bench-key"
LUA
measure() {  # name path [script] -> req/s
  local out
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency ${3:+-s "$3"} "http://127.0.0.1:$port$2")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out"); p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  echo "$1 run $run: $rps req/s  p50 $p50  p99 $p99" >&2
  echo "$rps"
}
declare -a health calls
for run in $(seq "$REPS"); do
  health+=("$(measure healthz /healthz)")
  calls+=("$(measure calls-list '/api/v1/calls?page_size=20' "$work/auth.lua")")
done
python3 - "${health[*]}" "${calls[*]}" <<'PY'
import statistics, sys
h = [float(x) for x in sys.argv[1].split()]; c = [float(x) for x in sys.argv[2].split()]
print(f"GET /healthz          median {statistics.median(h):,.0f} req/s  (min {min(h):,.0f}, max {max(h):,.0f})")
print(f"GET /api/v1/calls     median {statistics.median(c):,.0f} req/s  (min {min(c):,.0f}, max {max(c):,.0f})")
print(f"calls / healthz       median {statistics.median([a/b for a, b in zip(c, h)]):.2f} (pairs from the same run)")
PY
