#!/usr/bin/env bash
# Benchmark: `stance ingest` on the whole UN General Debate corpus.
#
# Goal: all of $SHARED/corpus/ungdc.jsonl.gz in under 20 s wall on a 2-core
# machine with peak RSS under 150 MB.
#
# Builds nothing: `make bench-ingest` builds $BIN and sets BIN and SHARED.
# Peak RSS comes from GNU time (/usr/bin/time -v, "Maximum resident set
# size"); without it, from the VmHWM line of /proc/<pid>/status, read
# just before the process exits (polled every 50 ms).
set -euo pipefail

BIN=${BIN:-bin/stance}
SHARED=${SHARED:-../shared}
CORPUS=$SHARED/corpus/ungdc.jsonl.gz

if [[ ! -x $BIN ]]; then
	echo "bench/ingest.sh: $BIN not found; run 'make bench-ingest' (it builds it)" >&2
	exit 1
fi
if [[ ! -f $CORPUS ]]; then
	echo "bench/ingest.sh: $CORPUS not found; skipping (needs ../shared)" >&2
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/sentences.csv
log=$tmp/stderr.txt

echo "ingest benchmark: $CORPUS"
echo "date: $(date -u +%FT%TZ)  host: $(nproc) cores  load: $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ -x /usr/bin/time ]]; then
	/usr/bin/time -v "$BIN" ingest -q -out "$out" "$CORPUS" 2>"$log"
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
	rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
	user=$(sed -n 's/.*User time (seconds): //p' "$log")
	sys=$(sed -n 's/.*System time (seconds): //p' "$log")
	# h:mm:ss or m:ss.ss -> seconds
	secs=$(awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }' <<<"$wall")
	rss_how="/usr/bin/time -v"
else
	start=$(date +%s.%N)
	"$BIN" ingest -q -out "$out" "$CORPUS" 2>"$log" &
	pid=$!
	rss_kb=0
	while kill -0 "$pid" 2>/dev/null; do
		hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
		[[ -n ${hwm:-} && $hwm -gt $rss_kb ]] && rss_kb=$hwm
		sleep 0.05
	done
	wait "$pid"
	secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
	user="?" sys="?"
	rss_how="VmHWM polled from /proc"
fi

grep '^ingest:' "$log" || true
sentences=$(sed -n 's/^ingest: documents: .* \([0-9][0-9]*\) sentences$/\1/p' "$log")
rows=$(($(wc -l <"$out") - 1))
if [[ -n $sentences && $rows -ne $sentences ]]; then
	echo "note: $rows CSV lines vs $sentences sentences (texts with newlines span lines)"
fi
awk -v s="$secs" -v r="$rss_kb" -v n="${sentences:-0}" -v u="$user" -v y="$sys" -v how="$rss_how" 'BEGIN {
	printf "wall: %.2f s (goal < 20 s)\n", s
	printf "cpu: user %s s, sys %s s\n", u, y
	printf "peak RSS: %.1f MB (goal < 150 MB; %s)\n", r / 1024, how
	if (s > 0) printf "throughput: %.0f sentences/s\n", n / s
	ok = (s < 20 && r / 1024 < 150)
	printf "goal: %s\n", ok ? "met" : "NOT met"
}'
echo "output: $(du -h "$out" | cut -f1) CSV"
