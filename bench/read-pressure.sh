#!/usr/bin/env bash
# Read-pressure benchmark: does a crowd of heavy trace readers slow the platform down?
#
# Against a running AARD (ideally on the 10-million-span database of bench/query-bench.sh), an
# operator creates tasks at a steady pace and a monitor probes readiness, first alone (baseline),
# then while --readers clients ask for --window-days of span statistics over and over. Prints the
# platform's latency in both phases side by side, and what the readers got (200, 429, 503 and
# whether a refusal carried Retry-After).
#
#   bench/read-pressure.sh --http URL [--readers 8] [--seconds 60] [--window-days 30]
#                          [--reader-key KEY] [--operator-key KEY] [--rate 5]
#
#   --http URL          the running AARD, e.g. http://127.0.0.1:9080
#   --readers N         concurrent statistics clients in the pressure phase (default 8)
#   --seconds S         length of each phase (default 60)
#   --window-days D     the statistics window, ending now (default 30)
#   --reader-key KEY    Bearer key of a reader (when AARD_API_KEYS is set)
#   --operator-key KEY  Bearer key of an operator (when AARD_API_KEYS is set)
#   --rate R            POST /api/tasks per second of the operator (default 5)
#
# A reader that is refused waits what Retry-After says (at most 2 s), as a well-behaved client
# does; one that got an answer asks again at once. Needs curl and awk. Say in a figure's note what
# else ran on the machine: on 2 cores everything shares the same CPUs.
set -euo pipefail

url="" readers=8 seconds=60 days=30 reader_key="" operator_key="" rate=5
while [ $# -gt 0 ]; do
  case "$1" in
    --http) url=$2; shift 2 ;;
    --readers) readers=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --window-days) days=$2; shift 2 ;;
    --reader-key) reader_key=$2; shift 2 ;;
    --operator-key) operator_key=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done
[ -n "$url" ] || { echo "--http URL is required (see the head of $0)" >&2; exit 2; }

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
auth() { [ -n "$1" ] && printf 'Authorization: Bearer %s' "$1" || printf 'X-No-Key: 1'; }
log() { printf '[read-pressure %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

curl -fsS -o /dev/null "$url/health/ready" || { echo "$url/health/ready does not answer 200" >&2; exit 1; }

# The operator: POST /api/tasks every 1/rate s until $1 (epoch seconds); "code seconds" per line.
operator() {
  local until=$1 out=$2 pause
  pause=$(awk -v r="$rate" 'BEGIN { printf "%.3f", 1 / r }')
  while [ "$(date +%s)" -lt "$until" ]; do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 60 \
      -H "$(auth "$operator_key")" -H 'Content-Type: application/json' \
      -d '{"description": "read-pressure probe: add 2 and 3"}' "$url/api/tasks" >>"$out" || true
    sleep "$pause"
  done
}

# The monitor: GET /health/ready once a second.
monitor() {
  local until=$1 out=$2
  while [ "$(date +%s)" -lt "$until" ]; do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 60 \
      "$url/health/ready" >>"$out" || true
    sleep 1
  done
}

# A reader: the window's statistics over and over; "code seconds retry_after" per line.
reader() {
  local until=$1 out=$2 from headers code time retry
  headers=$(mktemp -p "$work")
  while [ "$(date +%s)" -lt "$until" ]; do
    from=$(date -u -d "-$days days" +%Y-%m-%dT%H:%M:%SZ)
    read -r code time < <(curl -s -o /dev/null -D "$headers" -w '%{http_code} %{time_total}\n' \
      --max-time 120 -H "$(auth "$reader_key")" \
      "$url/api/traces/stats/summary?start_time_from=$from&group_by=operation_name" || echo "000 0")
    retry=$(tr -d '\r' <"$headers" | awk -F': ' 'tolower($1) == "retry-after" { print $2 }')
    echo "$code $time ${retry:--}" >>"$out"
    if [ "$code" != 200 ] && [ -n "$retry" ]; then
      sleep "$([ "$retry" -gt 2 ] 2>/dev/null && echo 2 || echo "$retry")"
    fi
  done
}

phase() {
  local name=$1 with_readers=$2 until
  until=$(($(date +%s) + seconds))
  log "$name: $seconds s, $([ "$with_readers" = yes ] && echo "$readers readers" || echo "no readers")"
  if [ "$with_readers" = yes ]; then
    for i in $(seq 1 "$readers"); do reader "$until" "$work/$name.reads" & done
  fi
  operator "$until" "$work/$name.tasks" &
  monitor "$until" "$work/$name.ready" &
  wait
}

# p50, p99 and max in milliseconds of the second column of the lines whose code is $2.
latency() {
  awk -v code="$2" '$1 == code { print $2 * 1000 }' "$1" 2>/dev/null | sort -n | awk '
    { v[NR] = $1 }
    END {
      if (NR == 0) { printf "— | — | —"; exit }
      p50 = v[int(NR * 0.50 + 0.999)]; p99 = v[int(NR * 0.99 + 0.999)]
      printf "%.1f | %.1f | %.1f", p50, p99, v[NR]
    }'
}
count() { awk -v code="$2" '$1 == code' "$1" 2>/dev/null | wc -l; }
others() { awk -v a="$2" '$1 != a' "$1" 2>/dev/null | wc -l; }

phase baseline no
phase pressure yes

echo
echo "## Read pressure: $readers readers of ${days}-day statistics against POST /api/tasks at $rate/s, $seconds s per phase"
echo
echo "| phase | POST /api/tasks 201 | other | p50 ms | p99 ms | max ms | /health/ready 200 | other | p99 ms | max ms |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for p in baseline pressure; do
  ready=$(latency "$work/$p.ready" 200)
  echo "| $p | $(count "$work/$p.tasks" 201) | $(others "$work/$p.tasks" 201) | $(latency "$work/$p.tasks" 201) | $(count "$work/$p.ready" 200) | $(others "$work/$p.ready" 200) | ${ready#* | } |"
done
echo
reads=$work/pressure.reads
echo "| statistics answers | count | p50 ms | p99 ms | max ms |"
echo "|---|---:|---:|---:|---:|"
for code in 200 429 503; do
  echo "| $code | $(count "$reads" "$code") | $(latency "$reads" "$code") |"
done
echo "| other | $(awk '$1 != 200 && $1 != 429 && $1 != 503' "$reads" | wc -l) | | | |"
refused=$(awk '($1 == 429 || $1 == 503)' "$reads" | wc -l)
without=$(awk '($1 == 429 || $1 == 503) && $3 == "-"' "$reads" | wc -l)
echo
echo "Refusals without Retry-After: $without of $refused."
