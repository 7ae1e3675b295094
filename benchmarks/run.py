#!/usr/bin/env python3
"""Time mtorvar against bcftools on the same whole-genome file, in the same run.

Reads what ``make_vcf.py`` wrote (``big.vcf.gz``, ``big.bcf``, ``genes.bed``, ``manifest.json``)
and times, with hyperfine (or repeated runs and medians when it is absent or ``--smoke``):
mtorvar indexed (VCF and BCF), ``--no-index`` streaming, stdin, ``bcftools view -R`` / ``-T``,
interpreter start-up and ``mtorvar --version``; measures each mtorvar run's peak RSS with
``/usr/bin/time -v``; checks that every mtorvar mode reports exactly the in-gene records
``bcftools view -R genes.bed`` finds; and writes a markdown report of ratios against the
issue's targets.  ``--smoke`` runs each command once (the test suite uses it on a tiny file).
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench_report import write_results

HERE = Path(__file__).resolve().parent
SLOW_SECONDS = 3.0  # commands slower than this get fewer timed runs


@dataclass
class Bench:
    """One timed command; ``mtorvar_out`` is the JSON report path for mtorvar annotate runs."""

    key: str
    label: str
    shell: str
    mtorvar_out: Path | None = None
    rss_shell: str | None = None  # the same command with /usr/bin/time on the mtorvar process
    times: list[float] = field(default_factory=list)
    peak_rss_mb: float | None = None
    variants: int | None = None
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None


def mtorvar_command(explicit: str | None) -> str:
    """The installed entry point beside this interpreter, else ``python -m mtorvar``.

    Not a bare ``mtorvar`` from PATH: under pyenv that is a shell shim costing ~0.1 s a run.
    """
    if explicit:
        return explicit
    entry = Path(sys.executable).parent / "mtorvar"
    if entry.exists():
        return shlex.quote(str(entry))
    return f"{shlex.quote(sys.executable)} -m mtorvar"


def build_benches(data: Path, work: Path, mtorvar: str, rss_file: Path) -> list[Bench]:
    vcf, bcf, bed = (shlex.quote(str(data / n)) for n in ("big.vcf.gz", "big.bcf", "genes.bed"))
    timer = f"/usr/bin/time -v -o {shlex.quote(str(rss_file))} "

    def annotate(key: str, label: str, args: str, prefix: str = "") -> Bench:
        out = work / f"{key}.json"
        tail = f"annotate {args} -o {shlex.quote(str(out))} -O json"
        return Bench(
            key,
            label,
            f"{prefix}{mtorvar} {tail}",
            mtorvar_out=out,
            rss_shell=f"{prefix}{timer}{mtorvar} {tail}",
        )

    python = shlex.quote(sys.executable)
    return [
        annotate("indexed", "mtorvar annotate big.vcf.gz (indexed)", vcf),
        annotate("indexed_bcf", "mtorvar annotate big.bcf (indexed)", bcf),
        annotate("streaming", "mtorvar annotate --no-index big.vcf.gz", f"--no-index {vcf}"),
        annotate("stdin", "zcat big.vcf.gz | mtorvar annotate -", "-", f"zcat {vcf} | "),
        Bench("bcftools_R", "bcftools view -R genes.bed big.vcf.gz",
              f"bcftools view -R {bed} {vcf} -o /dev/null"),
        Bench("bcftools_R_bcf", "bcftools view -R genes.bed big.bcf",
              f"bcftools view -R {bed} {bcf} -o /dev/null"),
        Bench("bcftools_T", "bcftools view -T genes.bed big.vcf.gz",
              f"bcftools view -T {bed} {vcf} -o /dev/null"),
        Bench("bcftools_T_stdin", "zcat big.vcf.gz | bcftools view -T genes.bed -",
              f"zcat {vcf} | bcftools view -T {bed} - -o /dev/null"),
        Bench("python", "python -c pass (interpreter start-up)", f"{python} -c pass"),
        Bench("version", "mtorvar --version", f"{mtorvar} --version"),
    ]  # fmt: skip


def run_once(bench: Bench) -> float | None:
    """Run once (checking the exit status); returns wall seconds or None on failure."""
    start = time.perf_counter()
    # pipefail: a failing zcat or mtorvar inside a pipeline must not look like success
    proc = subprocess.run(
        ["bash", "-o", "pipefail", "-c", bench.shell], capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["(no stderr)"])[-1]
        bench.error = f"exit {proc.returncode}: {tail[:300]}"
        return None
    return elapsed


def time_with_hyperfine(bench: Bench, runs: int, work: Path) -> None:
    export = work / f"hyperfine_{bench.key}.json"
    cmd = [
        "hyperfine", "--style", "none", "--warmup", "1", "--runs", str(runs),
        "--shell", "bash -o pipefail", "--export-json", str(export), bench.shell,
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        bench.error = f"hyperfine failed: {proc.stderr.strip()[-300:]}"
        return
    bench.times = list(json.loads(export.read_text())["results"][0]["times"])


def time_bench(bench: Bench, args: argparse.Namespace, work: Path) -> None:
    first = run_once(bench)  # also a warm-up, and it writes mtorvar's report for the count check
    if first is None:
        return
    if args.smoke:
        bench.times = [first]
        return
    runs = args.slow_runs if first > SLOW_SECONDS else args.runs
    if shutil.which("hyperfine"):
        time_with_hyperfine(bench, runs, work)
        return
    for _ in range(runs):
        elapsed = run_once(bench)
        if elapsed is None:
            return
        bench.times.append(elapsed)


def measure_peak_rss(bench: Bench, rss_file: Path) -> None:
    """Peak RSS of the mtorvar process alone (GNU time wraps mtorvar, not zcat)."""
    if bench.rss_shell is None or bench.error or not Path("/usr/bin/time").exists():
        return
    rss_file.unlink(missing_ok=True)
    subprocess.run(bench.rss_shell, shell=True, capture_output=True, check=False)
    if not rss_file.exists():
        return
    for line in rss_file.read_text().splitlines():
        if "Maximum resident set size" in line:
            bench.peak_rss_mb = int(line.rsplit(":", 1)[1]) / 1024


def count_variants(bench: Bench) -> None:
    if bench.mtorvar_out is None or bench.error or not bench.mtorvar_out.exists():
        return
    try:
        report = json.loads(bench.mtorvar_out.read_text())
        bench.variants = len(report["variants"])
    except (ValueError, KeyError, TypeError) as exc:
        bench.error = f"unreadable JSON report: {exc}"


def bcftools_in_gene_count(data: Path) -> int:
    out = subprocess.run(
        ["bcftools", "view", "-H", "-R", str(data / "genes.bed"), str(data / "big.vcf.gz")],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return len(out.splitlines())


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=HERE / "data", help="make_vcf.py output")
    parser.add_argument("--results", type=Path, help="markdown report (default: RESULTS.md)")
    parser.add_argument("--smoke", action="store_true", help="one run each, no hyperfine")
    parser.add_argument("--runs", type=int, default=10, help="timed runs of fast commands")
    parser.add_argument("--slow-runs", type=int, default=3, help="timed runs of slow commands")
    parser.add_argument("--mtorvar", help="how to invoke mtorvar (default: PATH or -m)")
    parser.add_argument("--only", help="comma-separated bench keys to run (default: all)")
    args = parser.parse_args(argv)
    if args.results is None:
        args.results = args.data / "RESULTS.md" if args.smoke else HERE / "RESULTS.md"
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for needed in ("big.vcf.gz", "big.bcf", "genes.bed", "manifest.json"):
        if not (args.data / needed).exists():
            raise SystemExit(f"{args.data / needed} is missing: run benchmarks/make_vcf.py first")
    mtorvar = mtorvar_command(args.mtorvar)
    with tempfile.TemporaryDirectory(prefix="mtorvar-bench-") as tmp:
        work = Path(tmp)
        rss_file = work / "rss.txt"
        benches = build_benches(args.data, work, mtorvar, rss_file)
        if args.only:
            benches = [b for b in benches if b.key in args.only.split(",")]
        for bench in benches:
            print(f"timing: {bench.label}", file=sys.stderr)
            time_bench(bench, args, work)
            measure_peak_rss(bench, rss_file)
            count_variants(bench)
        expected = bcftools_in_gene_count(args.data)
    write_results(args, benches, expected, mtorvar)
    print(f"wrote {args.results}", file=sys.stderr)
    failed = [b for b in benches if b.error]
    mismatched = [b for b in benches if b.variants is not None and b.variants != expected]
    for b in failed:
        print(f"FAILED {b.label}: {b.error}", file=sys.stderr)
    for b in mismatched:
        print(f"COUNT MISMATCH {b.label}: {b.variants} != bcftools {expected}", file=sys.stderr)
    return 1 if failed or mismatched else 0


if __name__ == "__main__":
    sys.exit(main())
