"""Benchmark the portal's pages and jobs at one or more scales of synthetic data.

    .venv/bin/python bench/run.py --scale 1 --scale 10 [--repeat K] [--database-url URL]
                                  [--output docs/performance-latest.md] [--rebuild]

For each scale: build (or reuse) a scratch database — migrate, seed_demo --force, generate_load --scale N
when N > 1 — then measure it in a subprocess running the portal in production mode (bench/measure.py).
Prints a Markdown table per scale; --output also writes them, with the machine, to a file.
See bench/README.md.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess  # nosec B404  # runs the venv's python and git, no shell
import sys
import time
from pathlib import Path

import scratch

ROOT = scratch.ROOT


def machine() -> dict:
    memory = next(
        (int(line.split()[1]) * 1024 for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line),
        0,
    )
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "uname": " ".join(platform.uname()),
        "cpus": os.cpu_count(),
        "ram_gb": memory / 1024**3,
        "python": platform.python_version(),
        "commit": commit or "no commit yet",
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
    }


def measure(scale: int, url: str, args) -> dict:
    out = scratch.BENCH_VAR / f"result-{scale}.json"
    command = [
        scratch.PYTHON,
        str(ROOT / "bench" / "measure.py"),
        "--scale",
        str(scale),
        "--repeat",
        str(args.repeat),
        "--import-rows",
        str(args.import_rows),
        "--json",
        str(out),
    ]
    if args.skip_jobs:
        command.append("--skip-jobs")
    load_before = os.getloadavg()[0]
    result = subprocess.run(command, cwd=ROOT, env=scratch.portal_env(url), check=False)
    if result.returncode:
        sys.exit(f"scale {scale}: the measurement failed (exit {result.returncode})")
    figures = json.loads(out.read_text())
    figures["load"] = (load_before, os.getloadavg()[0])
    return figures


# --- Markdown -------------------------------------------------------------------------------------------


def ms(value) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}" if value < 100 else f"{value:,.0f}"


def ratio(value, base) -> str:
    return f"{value / base:.1f}" if value and base else "—"


def admin_name(url: str) -> str:
    """`/admin/scholarships/student/?q=x` → `scholarships/student ?q=x`; a change form → `…/change`."""
    if not url:
        return "—"
    path, _, query = url.partition("?")
    parts = [part for part in path.split("/") if part][1:]
    if parts and parts[-1] == "change":
        return f"{parts[0]}/{parts[1]} change form"
    return "/".join(parts) + (f" ?{query}" if query else "")


def page_table(figures: dict) -> list[str]:
    bare = figures["bare"].get("median_ms")
    lines = [
        "| page | as | queries | median ms | p95 ms | n | KB | admin page beside it | admin ms | admin queries "
        "| × admin | × bare |",
        "|---|---|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|",
    ]
    for row in figures["pages"]:
        if "error" in row:
            lines.append(f"| {row['label']} | {row['user']} | **{row['error']}** | | | | | | | | | |")
            continue
        admin_ms = row.get("admin_ms")
        admin_queries = row.get("admin_queries")
        if row.get("admin_error"):
            admin_ms, admin_queries = None, row["admin_error"]
        lines.append(
            f"| {row['label']} | {row['user']} | {row['queries']} | {ms(row['median_ms'])} | {ms(row['p95_ms'])} "
            f"| {row['n']} | {row['kb']:.0f} | {admin_name(row['admin'])} | {ms(admin_ms)} "
            f"| {'—' if admin_queries is None else admin_queries} | {ratio(row['median_ms'], admin_ms)} "
            f"| {ratio(row['median_ms'], bare)} |"
        )
    return lines


def job_table(figures: dict) -> list[str]:
    lines = [
        "| job | run as | rows | file KB | median s | n | peak memory MB | queries |",
        "|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    for row in figures["jobs"]:
        rows = row.get("rows") or row.get("sheet_rows")
        rows_text = "—" if rows is None else (f"{rows:,}" if row.get("rows") else f"{rows:,} (sheet rows)")
        if "error" in row:
            lines.append(f"| {row['label']} | {row['how']} | {rows_text} | **{row['error']}** | | | | |")
            continue
        file_kb = "—" if row.get("file_kb") is None else f"{row['file_kb']:,.0f}"
        lines.append(
            f"| {row['label']} | {row['how']} | {rows_text} | {file_kb} | {row['seconds']:.2f} | {row['n']} "
            f"| {row['peak_mb']:.0f} | {row['queries']:,} |"
        )
        if row.get("over_time_limit"):
            lines[-1] = lines[-1].replace(
                f"| {row['seconds']:.2f} |",
                f"| **{row['seconds']:.2f}** (over the {figures['job_time_limit']} s limit) |",
            )
    return lines


def scale_section(figures: dict, url: str, built: dict) -> str:
    database = figures["database"]
    autovacuum = scratch.autovacuum(url)
    analyzed = f"VACUUM ANALYZE run before measuring, autovacuum {autovacuum}" if autovacuum else "not analysed"
    counts = ", ".join(f"{value:,} {name}" for name, value in figures["counts"].items())
    bare = figures["bare"]
    lines = [
        f"## Scale {figures['scale']}",
        "",
        f"- Database: {database['version']}, `{scratch.redacted(url)}`, {database['size_mb']:.0f} MB "
        f"(built {built['built_on']} in {built['seconds']:.0f} s; {analyzed}). Cache: {figures['cache']}.",
        f"- Data: {counts}.",
        f"- Bare authenticated page: `{bare['url']}` as {bare['user']}, median {ms(bare.get('median_ms'))} ms, "
        f"{bare.get('queries', '—')} queries.",
        f"- Load average (1 min) before / after: {figures['load'][0]:.2f} / {figures['load'][1]:.2f}; "
        f"measured in {figures['seconds']:.0f} s.",
        "",
        "### Pages",
        "",
        *page_table(figures),
        "",
    ]
    if figures["jobs"]:
        lines += ["### Jobs", "", *job_table(figures), ""]
    return "\n".join(lines)


def header(facts: dict, args) -> str:
    return "\n".join(
        [
            "# Performance: latest run",
            "",
            f"Written by `bench/run.py` on {facts['date']} (code {facts['commit']}).",
            "",
            f"- Machine: `{facts['uname']}`; {facts['cpus']} CPUs, {facts['ram_gb']:.1f} GB RAM; "
            f"Python {facts['python']}; the database server's version is given with each scale.",
            f"- Command: `bench/run.py {' '.join(sys.argv[1:])}`.",
            "- The portal in production mode (DJANGO_DEBUG=false, hashed static files, secure cookies; requests "
            "marked secure as behind the TLS proxy), in one process, through every middleware.",
            f"- Pages: one warm-up, then {args.repeat} timed requests (3 for a page slower than 1 s, 1 past 10 s); "
            "median and 95th percentile (nearest rank: of 10 samples, the slowest) of the server's time for the "
            "whole response; queries counted on the last sample (CaptureQueriesContext); KB of the HTML. Beside "
            "each page the Django admin's change list of the same model (a detail page: the admin's change form "
            "of the same record) as a superuser, and the ratio of the medians; × bare is the ratio to the bare "
            "authenticated page.",
            "- Jobs: the job's own function (`job_run`, what the Celery task runs) called synchronously in a child "
            "process forked from the measuring one, inside a transaction rolled back afterwards; time is wall "
            "clock, memory the child's peak resident size above its size at the start, queries counted by an "
            "execute wrapper. A list of at most EXPORT_IN_REQUEST_MAX_ROWS rows is exported in the request: "
            "measured as the request. The student import reads a generated file of new students (one enrollment "
            "each).",
            "- The machine is shared and busy: take the absolute figures as noisy, the ratios as steadier.",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, action="append", help="N times the demo data (repeatable; default 1)")
    parser.add_argument("--database-url", help="the scratch database; with several scales put {scale} in it")
    parser.add_argument("--repeat", type=int, default=10, help="timed requests per page after one warm-up (K)")
    parser.add_argument("--output", help="also write the tables, with the machine, to this Markdown file")
    parser.add_argument("--rebuild", action="store_true", help="drop and build the scratch databases again")
    parser.add_argument("--import-rows", type=int, default=3000, help="rows of the student import (0: skip it)")
    parser.add_argument("--skip-jobs", action="store_true", help="measure the pages only")
    args = parser.parse_args()
    scales = args.scale or [1]
    if args.repeat < 1 or any(scale < 1 for scale in scales):
        parser.error("--scale and --repeat take whole numbers of at least 1")
    facts = machine()
    sections = [header(facts, args)]
    print(sections[0], flush=True)
    began = time.monotonic()
    for scale in scales:
        url = scratch.database_url(scale, args.database_url, several=len(scales) > 1)
        built = scratch.ensure_database(scale, url, rebuild=args.rebuild)
        scratch.log(f"scale {scale}: measuring {scratch.describe(url)}")
        figures = measure(scale, url, args)
        section = scale_section(figures, url, built)
        print(section, flush=True)
        sections.append(section)
    text = "\n".join(sections)
    if args.output:
        Path(args.output).write_text(text)
        scratch.log(f"written to {args.output}")
    scratch.log(f"done in {time.monotonic() - began:.0f} s")


if __name__ == "__main__":
    main()
