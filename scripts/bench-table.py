#!/usr/bin/env python3
"""The Markdown of scripts/bench: results.jsonl (one object per engine and corpus) -> tables.

usage: bench-table.py RESULTS COMMIT MACHINE DATE
Each line of RESULTS is panmun's record (engine "panmun": build, stats, queries_peers,
queries_ours, process_ms) or a peer's JSON from ../shared/peers/run.py (engine = the peer).
Ratios are panmun's figure divided by the peer's: above 1 for speed means panmun is faster,
below 1 for size and latency means panmun is smaller or quicker.
"""
import json
import sys


# The default build of reuters-financial when issue 23 was filed: wall seconds, MB on disk.
ISSUE_23_BASELINE = {"reuters-financial": (342.7, 898.4)}


def mb(n):
    return f"{n / 1e6:,.1f} MB"


def ms(p50, p99):
    return f"{p50:.2f} / {p99:.2f} ms"


def main():
    path, commit, machine, date = sys.argv[1:5]
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    corpora = list(dict.fromkeys(r["corpus"] for r in rows))
    out = [f"`scripts/bench` on {date}, commit {commit}; {machine}. Index throughput counts the "
           "documents of the peers' common input (`docs.jsonl`, made by `../shared/peers/prepare.py`) "
           "over the indexer's whole run; MB/s is that file's size over the same time. Sizes are "
           "everything the engine keeps on disk (for panmun: the compressed store and the Xapian "
           "index; the ZIM file holds text and index; SQLite's FTS5 table keeps the text; Omega keeps "
           "only its index and a text sample). Query latencies are in-process, warm, over "
           "`../shared/peers/queries-en.txt` (20 queries: words all required, or a phrase), "
           "each engine getting the same: the top 10 (ids) and the exact count (for panmun, "
           "`panmun-query --fields rank,id,date,score` reads no stored text); panmun's times with the 10 "
           "documents fetched and their snippets made follow the table. \"With facets\": panmun "
           "counts person, org, place and date over every match; SQLite adds a GROUP BY month.", ""]
    targets = []
    for corpus in corpora:
        ours = next((r for r in rows if r["corpus"] == corpus and r["engine"] == "panmun"), None)
        peers = [r for r in rows if r["corpus"] == corpus and r["engine"] != "panmun"]
        if ours is None:
            continue
        b, s, qp, qo = ours["build"], ours["stats"], ours["queries_peers"], ours["queries_ours"]
        docs, text = ours["docs_read"], s["text_bytes"]
        size = s["store_bytes"] + s["index_bytes"]
        rate = docs / b["seconds"]
        out += [f"### {corpus}: {docs:,} documents, {mb(text)} of text", "",
                "| engine | index time | docs/s | MB/s | peak RSS | on disk | ÷ text | query p50 / p99 | with facets p50 / p99 |",
                "|---|---:|---:|---:|---:|---:|---:|---|---|"]
        out.append(f"| **panmun** | {b['seconds']:.1f} s | {rate:,.0f} | {ours['input_bytes'] / 1e6 / b['seconds']:.2f} "
                   f"| {b['peak_rss_mb']:.0f} MB | {mb(size)} | {size / text:.2f} "
                   f"| {ms(qp['top10_ids_ms']['p50'], qp['top10_ids_ms']['p99'])} "
                   f"| {ms(qp['top10_ids_4_facets_ms']['p50'], qp['top10_ids_4_facets_ms']['p99'])} |")
        for p in peers:
            facets = ms(p["facet_p50_ms"], p["facet_p99_ms"]) if "facet_p50_ms" in p else "—"
            out.append(f"| {p['engine']} {p['version']} | {p['index_seconds']:.1f} s | {p['docs_per_s']:,.0f} "
                       f"| {ours['input_bytes'] / 1e6 / p['index_seconds']:.2f} | {p['peak_rss_mb']} MB "
                       f"| {mb(p['index_bytes'])} | {p['index_bytes'] / text:.2f} "
                       f"| {ms(p['query_p50_ms'], p['query_p99_ms'])} | {facets} |")
        if peers:
            out += ["", "panmun ÷ peer (speed: above 1 is panmun faster; size and latency: below 1 is panmun "
                    "smaller or quicker):", "",
                    "| peer | index docs/s | on disk | query p50 | query p99 | with facets p50 |", "|---|---:|---:|---:|---:|---:|"]
            for p in peers:
                fr = f"{qp['top10_ids_4_facets_ms']['p50'] / p['facet_p50_ms']:.2f}" if "facet_p50_ms" in p else "—"
                out.append(f"| {p['engine']} | {rate / p['docs_per_s']:.2f} | {size / p['index_bytes']:.2f} "
                           f"| {qp['top10_ids_ms']['p50'] / p['query_p50_ms']:.2f} "
                           f"| {qp['top10_ids_ms']['p99'] / p['query_p99_ms']:.2f} | {fr} |")
        one = ours.get("one_thread")
        out += ["", "panmun alone:", "",
                f"- build: {b['seconds']:.1f} s wall, of which ingest {b['ingest_seconds']:.1f} s and the index "
                f"compaction {b['index_seconds']:.1f} s (the store kept as ingested, zstd level 3 without a "
                f"dictionary); {b['added']:,} documents stored ({b['duplicates']:,} repeated texts or ids "
                f"stored once); store {mb(s['store_bytes'])}, index {mb(s['index_bytes'])}."]
        if ours.get("best"):
            bb, bs = ours["best"]["build"], ours["best"]["stats"]
            out.append(f"- `build --best` (the archival rewrite: a dictionary trained on the documents, "
                       f"level 19): {bb['seconds']:.1f} s wall, {bb['seconds'] / b['seconds']:.2f}× the default "
                       f"(ingest {bb['ingest_seconds']:.1f} s, store rewrite {bb['store_seconds']:.1f} s, index "
                       f"compaction {bb['index_seconds']:.1f} s), peak RSS {bb['peak_rss_mb']:.0f} MB; store "
                       f"{mb(bs['store_bytes'])}, index {mb(bs['index_bytes'])}, on disk "
                       f"{mb(bs['store_bytes'] + bs['index_bytes'])} against "
                       f"{mb(s['store_bytes'] + s['index_bytes'])}; one process per query p50 / p99 "
                       f"{ms(*ours['best']['process_ms'])}.")
        if one:
            out.append(f"- `--threads 1`: {one['seconds']:.1f} s (ingest {one['ingest_seconds']:.1f} s); two threads "
                       f"are {one['seconds'] / b['seconds']:.2f}× as fast (ingest {one['ingest_seconds'] / b['ingest_seconds']:.2f}×).")
        out.append(f"- one `panmun-query search` process per query, start-up included: p50 / p99 "
                   f"{ms(*ours['process_ms'])}.")
        out.append(f"- the same queries with the top 10 fetched and their snippets made: "
                   f"{ms(qp['search_top10_ms']['p50'], qp['search_top10_ms']['p99'])}, with four facets "
                   f"{ms(qp['search_top10_4_facets_ms']['p50'], qp['search_top10_4_facets_ms']['p99'])}.")
        out.append(f"- fetch one random document: {ms(qp['fetch_ms']['p50'], qp['fetch_ms']['p99'])}; "
                   f"`like` (top hit of each query as the example): {ms(qp['like_top10_ms']['p50'], qp['like_top10_ms']['p99'])}; "
                   f"count only: {ms(qp['count_only_ms']['p50'], qp['count_only_ms']['p99'])}.")
        out.append(f"- our query set (`tests/queries-reuters.txt`: plain, phrase, boolean, date-restricted; "
                   f"{qo['queries']} queries): top 10 {ms(qo['search_top10_ms']['p50'], qo['search_top10_ms']['p99'])}, "
                   f"with four facets {ms(qo['search_top10_4_facets_ms']['p50'], qo['search_top10_4_facets_ms']['p99'])}.")
        out.append("")

        # Issue 8's targets, checked from the same figures.
        def target(what, met, figure):
            targets.append(f"| {corpus} | {what} | {figure} | {'met' if met else '**not met**'} |")
        by = {p["engine"]: p for p in peers}
        if "sqlite" in by:
            target("index docs/s ≥ SQLite FTS5's", rate >= by["sqlite"]["docs_per_s"],
                   f"{rate:,.0f} vs {by['sqlite']['docs_per_s']:,.0f}")
        if one:
            target("2 threads ≥ 1.7 × 1 thread", one["seconds"] / b["seconds"] >= 1.7, f"{one['seconds'] / b['seconds']:.2f}×")
        target("indexer peak RSS < 512 MB", b["peak_rss_mb"] < 512, f"{b['peak_rss_mb']:.0f} MB")
        if "zim" in by:
            target("archive smaller than the ZIM file", size < by["zim"]["index_bytes"],
                   f"{mb(size)} vs {mb(by['zim']['index_bytes'])}")
        if "omindex" in by:
            target("query p50 ≤ omindex's", qp["top10_ids_ms"]["p50"] <= by["omindex"]["query_p50_ms"],
                   f"{qp['top10_ids_ms']['p50']:.3f} vs {by['omindex']['query_p50_ms']:.3f} ms")
        target("query p99 ≤ 5 ms", qp["top10_ids_ms"]["p99"] <= 5, f"{qp['top10_ids_ms']['p99']:.2f} ms")
        f50, f99 = qp["top10_ids_4_facets_ms"]["p50"], qp["top10_ids_4_facets_ms"]["p99"]
        target("4 facets p50 ≤ 1 ms, p99 ≤ 20 ms", f50 <= 1 and f99 <= 20, f"{f50:.2f} / {f99:.2f} ms")
        target("a process per query p50 ≤ 10 ms", ours["process_ms"][0] <= 10, f"{ours['process_ms'][0]:.2f} ms")
        # Issue 23's, against the default build measured when it was filed (commit 87cd618).
        if corpus in ISSUE_23_BASELINE:
            seconds, disk = ISSUE_23_BASELINE[corpus]
            target(f"build ≥ 2× as fast as {seconds} s (issue 23)", seconds / b["seconds"] >= 2,
                   f"{b['seconds']:.1f} s, {seconds / b['seconds']:.2f}×")
            target(f"on disk < {disk:.1f} MB (issue 23)", size < disk * 1e6, mb(size))
    if targets:
        out += ["### Targets in this run (issues 8 and 23)", "", "| corpus | target | measured | |",
                "|---|---|---|---|", *targets]
    print("\n".join(out))


if __name__ == "__main__":
    main()
