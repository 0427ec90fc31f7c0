#!/usr/bin/env bash
# Measures the CLI's start-to-exit time: `bin/tally health` against a local server, as a person types it.
#   bench/cli-start.sh [RUNS]     (default 15 runs, after one that writes the class-data archive)
# Prints each run's wall time and the median. The target is 0.6 s on a quiet two-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-15}"
[ -f server/target/tally-server.jar ] && [ -f cli-client/target/tally.jar ] || ./mvnw -q -B package -DskipTests
data=$(mktemp -d)
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
java -jar server/target/tally-server.jar --host 127.0.0.1 --port "$port" --http-port off --data-dir "$data" >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  bin/tally --target "127.0.0.1:$port" --timeout 1 health >/dev/null 2>&1 && break
  sleep 0.2
done
sleep 8  # let the new server's compiler settle, so that it does not compete with the CLI
rm -f cli-client/target/tally.jsa
first=$( { /usr/bin/time -f %e bin/tally --target "127.0.0.1:$port" health >/dev/null; } 2>&1 )
echo "first call (writes the class-data archive): ${first} s"
times=()
for _ in $(seq 1 "$runs"); do
  times+=("$( { /usr/bin/time -f %e bin/tally --target "127.0.0.1:$port" health >/dev/null; } 2>&1 )")
done
printf '%s\n' "${times[@]}" | sort -n | awk -v runs="$runs" '
  { t[NR] = $1 }
  END { printf "tally health, start to exit, %d runs: median %.2f s, fastest %.2f s, slowest %.2f s\n", runs, t[int((NR + 1) / 2)], t[1], t[NR] }'
