#!/usr/bin/env bash
# Builds everything and runs the benchmark against a fresh server process; prints a table.
#   bench/run.sh                 SQLite, as shipped (synchronous=FULL)
#   bench/run.sh --postgres      PostgreSQL on 127.0.0.1:5432 (user postgres), in a database made for the run
# Other options go to the load generator: --seconds S --warmup S --heap 256m --only TEXT
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B package -DskipTests
args=()
database=""
for arg in "$@"; do
  if [ "$arg" = "--postgres" ]; then
    database="tally_bench_$$"
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $database"
    trap 'psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $database WITH (FORCE)"' EXIT
    args+=(--database-url "jdbc:postgresql://127.0.0.1:5432/$database?user=postgres")
  else
    args+=("$arg")
  fi
done
java -jar bench/target/tally-bench.jar --server-jar server/target/tally-server.jar "${args[@]}"
