"""One table of the pages and jobs at several scales, from the results `bench/run.py` leaves in
var/bench/result-<N>.json: `python bench/compare.py 1 10 100` (the first scale is the reference)."""

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[1] / "var" / "bench"


def load(scale: str) -> dict:
    return json.loads((RESULTS / f"result-{scale}.json").read_text())


def ms(value) -> str:
    return "—" if value is None else (f"{value:,.0f}" if value >= 100 else f"{value:.1f}")


def main(scales: list[str]) -> None:
    runs = [load(scale) for scale in scales]
    first, last = runs[0], runs[-1]
    head = " | ".join(f"{scale}× ms" for scale in scales)
    print(f"| page | as | queries | {head} | {scales[-1]}× ÷ {scales[0]}× | admin {scales[-1]}× ms | × admin | KB |")
    print("|---|---|--:|" + "--:|" * len(scales) + "--:|--:|--:|--:|")
    keyed = [{(page["label"], page["user"]): page for page in run["pages"]} for run in runs]
    for page in first["pages"]:
        key = (page["label"], page["user"])
        rows = [pages.get(key) for pages in keyed]
        end = rows[-1]
        if end is None:
            continue
        growth = end["median_ms"] / page["median_ms"] if page["median_ms"] else None
        admin = end.get("admin_ms")
        ratio = f"{end['median_ms'] / admin:.1f}" if admin else "—"
        times = " | ".join(ms(row["median_ms"]) if row else "—" for row in rows)
        print(
            f"| {page['label']} | {page['user']} | {end['queries']} | {times} | {growth:.1f} | {ms(admin)} | {ratio} |"
            f" {end['kb']:.0f} |"
        )
    print()
    print(f"| job | {' | '.join(f'{scale}× s' for scale in scales)} | rows at {scales[-1]}× | peak MB | queries |")
    print("|---|" + "--:|" * len(scales) + "--:|--:|--:|")
    jobs = [{job["label"]: job for job in run["jobs"]} for run in runs]
    for job in last["jobs"]:
        times = " | ".join(f"{found[job['label']]['seconds']:.2f}" if job["label"] in found else "—" for found in jobs)
        rows, memory, queries = job.get("rows") or "—", job.get("peak_mb", 0), job.get("queries", "—")
        print(f"| {job['label']} | {times} | {rows} | {memory:.0f} | {queries} |")


if __name__ == "__main__":
    main(sys.argv[1:] or ["1", "10"])
