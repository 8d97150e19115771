#!/usr/bin/env bash
# Trace query benchmark: loads realistic spans into a separate database at INSERT ...
# SELECT speed, then measures the trace API's statements with EXPLAIN ANALYZE beside a plain-SQL
# answer to the same question, and optionally the HTTP latency of a running AARD. Prints a table.
#
#   bench/query-bench.sh [--spans N] [--days D] [--runs R] [--http URL] [--skip-load]
#
#   --spans N     spans to load (default 1000000; 10000000 takes ~10 min on 2 cores)
#   --days D      the window the spans cover, ending now (default 30)
#   --runs R      measured runs per question (default 25), after warm-up runs
#   --http URL    also time GET requests against a running AARD using the same database, e.g.
#                 http://127.0.0.1:9080 after `AARD_DB_NAME=aard_bench mvn liberty:run`
#   --skip-load   measure the data already loaded
#
# Environment: BENCH_DB (default aard_bench), PGHOST (127.0.0.1), PGPORT (5432), PGUSER
# (postgres). The schema comes from src/main/resources/db/migration, applied with psql in order
# when the database has none yet (when AARD created it first, its Flyway schema is kept).
set -euo pipefail
cd "$(dirname "$0")/.."

spans=1000000 days=30 runs=25 http="" load=true
while [ $# -gt 0 ]; do
  case "$1" in
    --spans) spans=$2; shift 2 ;;
    --days) days=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --http) http=$2; shift 2 ;;
    --skip-load) load=false; shift ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done

export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
db=${BENCH_DB:-aard_bench}
log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
sql() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }

if [ "$load" = true ]; then
  if ! psql -X -Atqd postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    log "creating database $db"
    createdb "$db"
  fi
  if [ -z "$(sql -Atc "SELECT to_regclass('execution_traces')")" ]; then
    log "applying the migrations with psql"
    for f in $(ls src/main/resources/db/migration/V*__*.sql | sort -V); do
      sql -f "$f" >/dev/null
    done
  fi
  log "emptying execution_traces; dropping its secondary indexes until the data is in"
  # pg_get_indexdef says "ON ONLY" for a partitioned table's index: that would skip partitions.
  indexes=$(sql -Atc "SELECT replace(pg_get_indexdef(i.indexrelid), ' ON ONLY ', ' ON ') || ';'
                      FROM pg_index i
                      WHERE i.indrelid = 'execution_traces'::regclass AND NOT i.indisprimary")
  # They are rebuilt from these definitions only: a load interrupted after the DROP left none.
  if [ -z "$indexes" ]; then
    log "execution_traces has no secondary index (an interrupted load?): drop $db and run again"
    exit 1
  fi
  sql -c "TRUNCATE execution_traces"
  sql -Atc "SELECT 'DROP INDEX ' || i.indexrelid::regclass || ';' FROM pg_index i
            WHERE i.indrelid = 'execution_traces'::regclass AND NOT i.indisprimary" | sql >/dev/null
  traces=$(( spans / 30 ))
  jobs=$(nproc)
  per=$(( (traces + jobs - 1) / jobs ))
  start=$(date +%s)
  log "loading ~$spans spans ($traces traces over $days days) in $jobs slices"
  pids=()
  for j in $(seq 0 $(( jobs - 1 ))); do
    first=$(( 1 + j * per ))
    count=$(( j == jobs - 1 ? traces - j * per : per ))
    sql -v spans="$spans" -v days="$days" -v seed=1 -v first="$first" -v count="$count" \
        -f bench/generate-spans.sql >/dev/null &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  loaded=$(date +%s)
  log "loaded in $(( loaded - start )) s; building the indexes"
  { echo "SET maintenance_work_mem = '1GB';"; echo "$indexes"; } | sql >/dev/null
  sql -c "VACUUM ANALYZE execution_traces"
  done_at=$(date +%s)
  rows=$(sql -Atc "SELECT count(*) FROM execution_traces")
  log "$rows rows; load $(( loaded - start )) s, indexes and analyze $(( done_at - loaded )) s," \
      "$(( rows / (done_at - start > 0 ? done_at - start : 1) )) rows/s overall"
fi

log "compiling the measuring tool against target/classes"
if [ ! -d target/classes/io/aard/tracequery ]; then
  mvn -B -q -DskipTests compile
fi
cp_file=target/bench-classpath.txt
if [ ! -s "$cp_file" ]; then
  mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
fi
mkdir -p target/bench-classes
javac -d target/bench-classes -cp "target/classes:$(cat "$cp_file")" bench/TraceQueryBench.java
log "measuring: $runs runs per question"
java -cp "target/bench-classes:target/classes:$(cat "$cp_file")" io.aard.tracequery.TraceQueryBench \
  "jdbc:postgresql://$PGHOST:$PGPORT/$db?user=$PGUSER" "$runs" ${http:+"$http"}
