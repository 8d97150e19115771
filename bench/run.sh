#!/usr/bin/env bash
# Runs AARD's benchmarks and prints their tables (see README, "Benchmarks").
#
#   bench/run.sh [ingest|otlp|overhead|soak|all] [extra Maven arguments, e.g. -Dbench.spans=500000]
#
# ingest:   spans/s of the database exporter (in Liberty) against PostgreSQL COPY, same run.
# otlp:     spans/s stored when bench.clients OTLP/HTTP clients POST /v1/traces batches of 512
#           protobuf spans, against COPY of the same rows, same run; share of 429/503 answers.
# overhead: p50/p99 of the plan-and-execute flow, TRACING_EXPORTER=database with and without
#           database spans (TRACING_DB_STATEMENTS) against ENABLE_TRACING=false, same run, plus
#           the spans dropped.
# soak:     4 clients run the flow for bench.soak.minutes (default 10) while PostgreSQL is cut for
#           bench.soak.outage.seconds (60) in the middle, then the server is stopped under load:
#           only clear 503s during the outage, no span lost, no heap growth. bench.soak.readers
#           (8) heavy readers ask for 30-day statistics over bench.soak.seed.spans (1,000,000)
#           seeded spans from the middle of the time before the cut: the platform's p50/p99
#           without and with them. Its own database (bench.soak.db.name, default aard_soak),
#           server aardSoak on port 9593.
# Each is bounded (10 to 15 minutes on 2 cores). Needs PostgreSQL on 127.0.0.1:5432 (trust auth,
# user postgres); the benchmark database (bench.db.name, default aard_benchmarks) is created if
# missing and its execution_traces is emptied between runs: never point it at a database you keep.
set -euo pipefail

cd "$(dirname "$0")/.."
which="${1:-all}"
shift || true
case "$which" in
  ingest) test=IngestBench ;;
  otlp) test=OtlpIngestBench ;;
  overhead) test=OverheadBench ;;
  soak) test=SoakBench ;;
  all) test='*Bench' ;;
  *) echo "usage: bench/run.sh [ingest|otlp|overhead|soak|all] [maven args]" >&2; exit 2 ;;
esac

wlp=target/liberty/wlp
stop_servers() {
  # The overhead and soak benchmarks stop their servers themselves; this covers an interrupted
  # run. An interrupted soak may also leave its database refusing connections: let them in again.
  for server in aardBenchDb aardBenchNoDb aardBenchOff aardSoak; do
    if [ -x "$wlp/bin/server" ] && [ -d "$wlp/usr/servers/$server" ]; then
      "$wlp/bin/server" stop "$server" >/dev/null 2>&1 || true
    fi
  done
  if [ "$which" = soak ] || [ "$which" = all ]; then
    psql -h 127.0.0.1 -U postgres -d postgres -qc \
      "ALTER DATABASE aard_soak WITH ALLOW_CONNECTIONS true" >/dev/null 2>&1 || true
  fi
}
trap stop_servers EXIT

rm -rf target/bench
mkdir -p target
set +e
timeout 50m mvn -B -Pbench verify -Dbench.test="$test" "$@" 2>&1 | tee target/bench-run.log \
  | grep --line-buffered -E '^(ingest|overhead) round|^soak: |^\[ERROR\]|Tests run:|BUILD'
status=${PIPESTATUS[0]}
set -e

echo
for table in target/bench/ingest.md target/bench/otlp.md target/bench/overhead.md target/bench/soak.md; do
  [ -f "$table" ] && cat "$table" && echo
done
if [ "$status" -ne 0 ]; then
  echo "benchmark run failed (exit $status); see target/bench-run.log and target/failsafe-reports/bench/" >&2
fi
exit "$status"
