# Shared by the scripts/bench* scripts (sourced, not run).

# One panmun-query process per query of a file, start-up included (what a script calling
# panmun-query pays), ROUNDS times over the file: prints "p50 p99" in milliseconds.
# ARCHIVE may be several, comma-separated: they are searched as one.
# usage: process_per_query PANMUN_QUERY ARCHIVE[,ARCHIVE...] QUERIES ROUNDS
process_per_query() {
  process_per_query_in_turns "$1" "$3" "$4" "$2"
}

# The same for several archives (each ARCHIVE[,ARCHIVE...]) in turns, query by query, so that
# a slow moment of the machine falls on each alike: prints one "p50 p99" line per archive.
# usage: process_per_query_in_turns PANMUN_QUERY QUERIES ROUNDS ARCHIVE[,ARCHIVE...]...
process_per_query_in_turns() {
  local bin=$1 queries=$2 rounds=$3 start q k a spec dir
  shift 3
  local specs=("$@")
  dir=$(mktemp -d)
  for ((round = 0; round < rounds; ++round)); do
    while IFS= read -r q; do
      [[ -z "$q" || "$q" == \#* ]] && continue
      for k in "${!specs[@]}"; do
        local archives=()
        IFS=, read -ra spec <<< "${specs[$k]}"
        for a in "${spec[@]}"; do archives+=(--archive "$a"); done
        start=$(date +%s%N)
        "$bin" search "${archives[@]}" --jsonl "$q" >/dev/null || true
        echo $(( ($(date +%s%N) - start) / 1000 )) >> "$dir/$k"
      done
    done < "$queries"
  done
  for k in "${!specs[@]}"; do
    sort -n "$dir/$k" |
      awk '{a[NR]=$1} END {printf "%.2f %.2f\n", a[int(NR*0.5)+1]/1000, a[int(NR*0.99)+1]/1000}'
  done
  rm -rf "$dir"
}

# panmun-index build over INPUT into ARCHIVE with THREADS threads, timed with /usr/bin/time:
# prints a JSON object (wall seconds, peak RSS in MB, the build's own times for the ingest, the
# store rewrite and the index compaction, added and duplicate documents). The build's --json
# report is kept in REPORT. More build options may follow (--best).
# usage: timed_build PANMUN_INDEX ARCHIVE THREADS INPUT REPORT [OPTION...]
timed_build() {
  local bin=$1 archive=$2 threads=$3 input=$4 report=$5
  shift 5
  /usr/bin/time -f '%e %M' -o "$report.time" "$bin" build --json --force --threads "$threads" \
    --archive "$archive" "$@" "$input" > "$report" || [ $? -eq 1 ]  # 1: some input was skipped
  python3 - "$report.time" "$report" <<'PY'
import json, sys
wall, rss = open(sys.argv[1]).read().split()[-2:]
rep = json.load(open(sys.argv[2]))
c = rep["compaction"]
print(json.dumps({"seconds": float(wall), "peak_rss_mb": int(rss) / 1024, "ingest_seconds": rep["seconds"],
                  "store_rewritten": c["store_rewritten"], "store_seconds": c["store_seconds"],
                  "index_seconds": c["index_seconds"],
                  "added": rep["total"]["added"], "duplicates": rep["total"]["duplicates"]}))
PY
}

# Puts TABLE into docs/BENCHMARKS.md between the markers "<!-- NAME: begin -->" and
# "<!-- NAME: end -->", or at the end under HEADING when the markers are not there yet.
# usage: write_section NAME HEADING TABLE
write_section() {
  python3 - docs/BENCHMARKS.md "$1" "$2" "$3" <<'PY'
import sys
path, name, heading, table = sys.argv[1:5]
text = open(path, encoding="utf-8").read()
begin, end = f"<!-- {name}: begin -->", f"<!-- {name}: end -->"
block = f"{begin}\n{table}\n{end}"
if begin in text:
    text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    text = text.rstrip("\n") + f"\n\n## {heading}\n\n" + block + "\n"
open(path, "w", encoding="utf-8").write(text)
PY
}
