"""Markdown report for ``run.py``: the machine, the data set, ratios against the targets.

A ``## Notes`` section already in the results file (profiles, proposals written by hand) is
kept when the file is rewritten, so rerunning the benchmark does not lose the analysis.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import time
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Protocol

NOTES_HEADING = "## Notes"


class BenchLike(Protocol):
    key: str
    label: str
    shell: str
    times: list[float]
    peak_rss_mb: float | None
    variants: int | None
    error: str | None

    @property
    def median(self) -> float | None: ...


def first_line(cmd: list[str]) -> str:
    if shutil.which(cmd[0]) is None:
        return "not installed"
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    lines = (proc.stdout or proc.stderr).strip().splitlines()
    return " / ".join(lines[:2]) if lines else "unknown"


def proc_field(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine_lines(mtorvar: str) -> list[str]:
    mem_kb = proc_field("/proc/meminfo", "MemTotal").split()[0]
    mem = f"{int(mem_kb) / 1024**2:.1f} GiB" if mem_kb.isdigit() else "unknown"
    version = subprocess.run(
        f"{mtorvar} --version", shell=True, capture_output=True, text=True, check=False
    )
    return [
        f"* CPU: {proc_field('/proc/cpuinfo', 'model name')}, {os.cpu_count()} logical CPUs "
        f"(nproc {len(os.sched_getaffinity(0))})",
        f"* memory: {mem}; kernel {platform.release()}; load average when the run ended "
        f"(1/5/15 min): {' / '.join(f'{x:.2f}' for x in os.getloadavg())} — other work on "
        "the machine shows up as spread (sd) below",
        f"* python {platform.python_version()}; cyvcf2 {package_version('cyvcf2')}; "
        f"pysam {package_version('pysam')}",
        f"* {first_line(['bcftools', '--version'])}",
        f"* {first_line(['hyperfine', '--version'])}",
        f"* mtorvar: `{mtorvar}` → {version.stdout.strip() or version.stderr.strip()[-200:]}",
    ]


def dataset_lines(data: Path) -> list[str]:
    manifest = json.loads((data / "manifest.json").read_text())
    sizes = ", ".join(
        f"{name} {(data / name).stat().st_size / 1024**2:.1f} MB"
        for name in ("big.vcf.gz", "big.bcf")
    )
    return [
        f"* {manifest['records']:,} records on GRCh38 chr1–22, X, Y, M; "
        f"{len(manifest['samples'])} samples (GT:AD:DP:AF); seed {manifest['seed']}",
        f"* {manifest['in_gene']} records inside the five genes "
        f"({', '.join(f'{g} {n}' for g, n in manifest['in_gene_by_gene'].items())}), "
        f"REF bases from {manifest['ref_source'].split(' (')[0]}",
        f"* {sizes}; indexes: .tbi + .csi (VCF), .csi (BCF)",
    ]


def ratio(benches: dict[str, BenchLike], num: str, *den: str) -> float | None:
    values = [benches[k].median if k in benches else None for k in (num, *den)]
    if any(v is None for v in values):
        return None
    top, *bottom = values
    return top / sum(bottom)  # type: ignore[arg-type, operator]


def verdict(value: float | None, limit: float) -> str:
    if value is None:
        return "n/a"
    return "met" if value < limit else "**missed**"


def cell(text: str) -> str:
    """Markdown table cells cannot hold a bare pipe."""
    return text.replace("|", "\\|")


def fmt(value: float | None, unit: str = "") -> str:
    return "n/a" if value is None else f"{value:.2f}{unit}"


def target_rows(benches: dict[str, BenchLike]) -> list[tuple[str, str, str, str]]:
    def median(key: str) -> float | None:
        return benches[key].median if key in benches else None

    ratios = [
        ("indexed VCF / (bcftools view -R + python start-up)",
         ratio(benches, "indexed", "bcftools_R", "python"), 2.0),
        ("indexed BCF / (bcftools view -R on BCF + python start-up)",
         ratio(benches, "indexed_bcf", "bcftools_R_bcf", "python"), 2.0),
        ("streaming `--no-index` / bcftools view -T",
         ratio(benches, "streaming", "bcftools_T"), 1.5),
        ("stdin / (zcat | bcftools view -T)", ratio(benches, "stdin", "bcftools_T_stdin"), 1.5),
    ]  # fmt: skip
    rows = [("indexed VCF wall, median", fmt(median("indexed"), " s"), "< 1 s",
             verdict(median("indexed"), 1.0))]  # fmt: skip
    rows += [(name, fmt(value, "x"), f"≤ {limit}x", verdict(value, limit + 1e-9))
             for name, value, limit in ratios]  # fmt: skip
    rows.append(("`mtorvar --version`, median", fmt(median("version"), " s"), "< 0.25 s",
                 verdict(median("version"), 0.25)))  # fmt: skip
    for bench in benches.values():
        if bench.key in ("indexed", "indexed_bcf", "streaming", "stdin"):
            rows.append((f"peak RSS: {bench.label}", fmt(bench.peak_rss_mb, " MB"), "< 250 MB",
                         verdict(bench.peak_rss_mb, 250.0)))  # fmt: skip
    return rows


def timing_rows(benches: Sequence[BenchLike], expected: int) -> list[str]:
    rows = []
    for b in benches:
        spread = (
            f"{statistics.mean(b.times):.3f} ± {statistics.stdev(b.times):.3f}"
            if len(b.times) > 1 else "–"
        )  # fmt: skip
        if b.error:
            status = f"FAILED: {cell(b.error)}"
        elif b.variants is None:
            status = "ok"
        else:
            status = "ok" if b.variants == expected else f"**{b.variants} ≠ {expected}**"
        rows.append(
            f"| {cell(b.label)} | {fmt(b.median)} | {fmt(min(b.times) if b.times else None)} | "
            f"{spread} | {len(b.times)} | "
            f"{fmt(b.peak_rss_mb)} | {'' if b.variants is None else b.variants} | {status} |"
        )
    return rows


def shell_for_humans(shell: str, data: Path) -> str:
    shell = shell.replace(str(data.resolve()), "DATA").replace(str(data), "DATA")
    return re.sub(r"/\S*/mtorvar-bench-[^/\s]+", "WORK", shell)


def kept_notes(path: Path) -> str:
    if not path.exists():
        return ""
    text = path.read_text()
    at = text.find("\n" + NOTES_HEADING)
    return text[at:] if at >= 0 else ""


def write_results(
    args: argparse.Namespace, benches: Sequence[BenchLike], expected: int, mtorvar: str
) -> None:
    by_key = {b.key: b for b in benches}
    mode = "smoke (one run each)" if args.smoke else f"hyperfine / medians ({args.runs} runs, "
    mode += "" if args.smoke else f"{args.slow_runs} for commands slower than 3 s, 1 warm-up)"
    lines = [
        "# mtorvar benchmark results",
        "",
        f"Generated by `benchmarks/run.py` on {time.strftime('%Y-%m-%d')}, mode: {mode}. "
        "All commands ran in the same session on the same files; ratios matter, seconds are "
        "this machine's.",
        "",
        "## Machine",
        *machine_lines(mtorvar),
        "",
        "## Data set (`benchmarks/make_vcf.py`)",
        *dataset_lines(args.data),
        "",
        "## Targets (issue 6)",
        "",
        "| measure | value | target | result |",
        "|---|---|---|---|",
        *(f"| {cell(a)} | {b} | {c} | {d} |" for a, b, c, d in target_rows(by_key)),
        "",
        f"In-gene records found by `bcftools view -R genes.bed`: **{expected}**; every mtorvar "
        "mode must report the same number of variants (column *variants*).",
        "",
        "## Timings (seconds)",
        "",
        "| command | median | min | mean ± sd | runs | peak RSS MB | variants | status |",
        "|---|---|---|---|---|---|---|---|",
        *timing_rows(benches, expected),
        "",
        "Commands (DATA = the data directory, WORK = a temporary directory):",
        "",
        *(f"* `{b.key}`: `{shell_for_humans(b.shell, args.data)}`" for b in benches),
        "",
    ]
    notes = kept_notes(args.results)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text("\n".join(lines) + notes)
