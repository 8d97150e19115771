#!/usr/bin/env bash
# Runs AARD's benchmarks and prints their tables (see README, "Benchmarks").
#
#   bench/run.sh [ingest|overhead|all] [extra Maven arguments, e.g. -Dbench.spans=500000]
#
# ingest:   spans/s of the database exporter (in Liberty) against PostgreSQL COPY, same run.
# overhead: p50/p99 of the plan-and-execute flow, TRACING_EXPORTER=database against
#           ENABLE_TRACING=false, same run, plus the spans dropped.
# Each is bounded (about 10 minutes on 2 cores). Needs PostgreSQL on 127.0.0.1:5432 (trust auth,
# user postgres); the benchmark database (bench.db.name, default aard_benchmarks) is created if
# missing and its execution_traces is emptied between runs: never point it at a database you keep.
set -euo pipefail

cd "$(dirname "$0")/.."
which="${1:-all}"
shift || true
case "$which" in
  ingest) test=IngestBench ;;
  overhead) test=OverheadBench ;;
  all) test='*Bench' ;;
  *) echo "usage: bench/run.sh [ingest|overhead|all] [maven args]" >&2; exit 2 ;;
esac

wlp=target/liberty/wlp
stop_servers() {
  # The overhead benchmark stops its servers itself; this covers an interrupted run.
  for server in aardBenchDb aardBenchOff; do
    if [ -x "$wlp/bin/server" ] && [ -d "$wlp/usr/servers/$server" ]; then
      "$wlp/bin/server" stop "$server" >/dev/null 2>&1 || true
    fi
  done
}
trap stop_servers EXIT

rm -rf target/bench
mkdir -p target
set +e
timeout 25m mvn -B -Pbench verify -Dbench.test="$test" "$@" 2>&1 | tee target/bench-run.log \
  | grep --line-buffered -E '^(ingest|overhead) round|^\[ERROR\]|Tests run:|BUILD'
status=${PIPESTATUS[0]}
set -e

echo
for table in target/bench/ingest.md target/bench/overhead.md; do
  [ -f "$table" ] && cat "$table" && echo
done
if [ "$status" -ne 0 ]; then
  echo "benchmark run failed (exit $status); see target/bench-run.log and target/failsafe-reports/bench/" >&2
fi
exit "$status"
