"""Smoke version of the whole-genome benchmark (benchmarks/): tiny file, one run each, no timing
assertions.  The real benchmark is ``python benchmarks/make_vcf.py && python benchmarks/run.py``.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED

BENCH = ROOT / "benchmarks"
TOOLS = ("bgzip", "tabix", "bcftools")
MTORVAR = f"{sys.executable} -m mtorvar"

pytestmark = pytest.mark.skipif(
    any(shutil.which(t) is None for t in TOOLS), reason="needs bgzip, tabix and bcftools"
)


def bundled_sequence_available() -> bool:
    try:
        from mtorvar.genome.sequence import bundled

        bundled("GRCh38")
    except Exception:
        return False
    return True


def generate(out: Path, seed: int = 7, records: int = 2000) -> subprocess.CompletedProcess[str]:
    if not (SHARED / "refdata").is_dir() and not bundled_sequence_available():
        pytest.skip("no REF source: ../shared/refdata absent and no bundled sequence")
    cmd = [sys.executable, str(BENCH / "make_vcf.py"), "--records", str(records)]
    cmd += ["--samples", "2", "--in-gene", "40", "--seed", str(seed), "--out", str(out)]
    return subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)


def bcftools(*args: str) -> str:
    return subprocess.run(["bcftools", *args], capture_output=True, text=True, check=True).stdout


def in_window_rows(data: Path) -> list[list[str]]:
    hits = bcftools("view", "-H", "-R", str(data / "genes.bed"), str(data / "big.vcf.gz"))
    return [line.split("\t") for line in hits.splitlines()]


def vcf_text(path: Path) -> str:
    with gzip.open(path, "rt") as handle:
        return handle.read()


@pytest.fixture(scope="module")
def small_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench")
    generate(out)
    return out


def test_generator_writes_indexed_vcf_bcf_and_bed(small_data: Path) -> None:
    for name in ("big.vcf.gz.tbi", "big.vcf.gz.csi", "big.bcf.csi", "genes.bed"):
        assert (small_data / name).stat().st_size > 0
    manifest = json.loads((small_data / "manifest.json").read_text())
    assert manifest["records"] == 2000
    assert int(bcftools("index", "-n", str(small_data / "big.bcf")).strip()) == 2000
    assert manifest["in_gene"] == 40
    assert set(manifest["in_gene_by_gene"]) == {"MTOR", "PIK3CA", "TSC1", "TSC2", "KRAS"}
    bed = (small_data / "genes.bed").read_text().splitlines()
    assert [row.split("\t")[3] for row in bed] == [
        "MTOR",
        "PIK3CA",
        "TSC1",
        "KRAS",
        "TSC2",
    ]  # contig order
    assert "chr12\t25200245\t25255929\tKRAS" in bed  # 25,205,246-25,250,929 +/- 5 kb, 0-based


def test_generator_header_and_records_look_like_a_real_wgs_vcf(small_data: Path) -> None:
    text = vcf_text(small_data / "big.vcf.gz")
    assert "##reference=GRCh38" in text
    assert "##contig=<ID=chr1,length=248956422,assembly=GRCh38>" in text
    assert "##contig=<ID=chrM,length=16569,assembly=GRCh38>" in text
    assert "##FORMAT=<ID=AD,Number=R,Type=Integer" in text
    body = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    assert len(body) == 2000
    assert len({row[0] for row in body}) >= 20  # spread over the genome
    assert all(row[8] == "GT:AD:DP:AF" and len(row) == 11 for row in body)
    for row in body:  # AD has one value per allele
        for sample in row[9:]:
            assert len(sample.split(":")[1].split(",")) == len(row[4].split(",")) + 1


def test_generator_is_deterministic_per_seed(small_data: Path, tmp_path: Path) -> None:
    generate(tmp_path / "same", seed=7)
    generate(tmp_path / "other", seed=8)
    original = vcf_text(small_data / "big.vcf.gz")
    assert vcf_text(tmp_path / "same" / "big.vcf.gz") == original
    assert vcf_text(tmp_path / "other" / "big.vcf.gz") != original


def test_only_in_gene_records_fall_in_the_gene_windows(small_data: Path) -> None:
    hits = bcftools(
        "view", "-H", "-R", str(small_data / "genes.bed"), str(small_data / "big.vcf.gz")
    )
    rows = [line.split("\t") for line in hits.splitlines()]
    assert len(rows) == 40
    assert all(row[6] == "PASS" and "," not in row[4] for row in rows)  # biallelic, reportable


def test_in_gene_ref_bases_agree_with_the_bundled_sequence(small_data: Path) -> None:
    if not bundled_sequence_available():
        pytest.skip("mtorvar.genome.sequence.bundled is not available")
    from mtorvar.genome.sequence import bundled

    source = bundled("GRCh38")
    hits = bcftools(
        "view", "-H", "-R", str(small_data / "genes.bed"), str(small_data / "big.vcf.gz")
    )
    checked = 0
    for row in (line.split("\t") for line in hits.splitlines()):
        pos, ref = int(row[1]), row[3]
        known = source.fetch(row[0].removeprefix("chr"), pos, pos + len(ref) - 1)
        if known is not None:
            checked += 1
            assert known.upper() == ref, f"{row[0]}:{pos} REF {ref} but bundled {known}"
    assert checked > 0


def run_smoke(data: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, str(BENCH / "run.py"), "--smoke", "--data", str(data)]
    cmd += ["--mtorvar", MTORVAR, *extra]
    return subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)


def test_timing_script_writes_a_results_table_for_the_bcftools_side(small_data: Path) -> None:
    proc = run_smoke(small_data, "--only", "bcftools_R,bcftools_T,bcftools_T_stdin,python")
    assert proc.returncode == 0, proc.stderr
    results = (small_data / "RESULTS.md").read_text()
    for heading in ("## Machine", "## Data set", "## Targets (issue 6)", "## Timings"):
        assert heading in results
    assert "| measure | value | target | result |" in results
    assert re.search(r"\| bcftools view -R genes.bed big.vcf.gz \| \d+\.\d\d \|", results)
    assert "In-gene records found by `bcftools view -R genes.bed`: **40**" in results


def mtorvar_annotate_works(data: Path, tmp_path: Path) -> bool:
    out = tmp_path / "probe.json"
    cmd = f"{MTORVAR} annotate {data / 'big.vcf.gz'} -o {out} -O json"
    proc = subprocess.run(cmd, shell=True, capture_output=True, check=False, cwd=ROOT)
    return proc.returncode == 0 and out.exists()


def test_every_mtorvar_mode_reports_the_records_bcftools_finds(
    small_data: Path, tmp_path: Path
) -> None:
    if not mtorvar_annotate_works(small_data, tmp_path):
        pytest.skip("`mtorvar annotate` does not run yet")
    proc = run_smoke(small_data, "--results", str(tmp_path / "RESULTS.md"))
    assert proc.returncode == 0, proc.stderr  # run.py exits 1 on a failure or count mismatch
    results = (tmp_path / "RESULTS.md").read_text()
    lines = results.splitlines()
    columns = next(r for r in lines if r.startswith("| command |")).strip("| ").split(" | ")
    rows = [r for r in lines if r.startswith("| ") and "mtorvar annotate" in r]
    counts = [r.split(" | ")[columns.index("variants")] for r in rows if "peak RSS" not in r]
    assert counts == ["40", "40", "40", "40"]  # indexed VCF, indexed BCF, streaming, stdin
