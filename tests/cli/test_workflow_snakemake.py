"""Run the Snakemake cohort workflow end to end on two tiny tumours (needs the real pipeline).

T1 is a three-sample VCF (normal + two regions); T2 a bgzipped single-sample VCF with chr
names. Both carry TSC2 p.Q1178*, so the cohort must count it in two tumours.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "report_cohort"


@pytest.fixture
def cohort_dir(tmp_path: Path) -> Path:
    pytest.importorskip("snakemake")
    if shutil.which("bgzip") is None:
        pytest.skip("bgzip (tabix package) is not installed")
    vcfs = tmp_path / "vcfs"
    vcfs.mkdir()
    shutil.copy(FIXTURES / "T1.vcf", vcfs / "T1.vcf")
    with (vcfs / "T2.vcf.gz").open("wb") as out:
        subprocess.run(["bgzip", "-c", str(FIXTURES / "T2.vcf")], stdout=out, check=True)
    (vcfs / "README.txt").write_text("not an input\n")
    (tmp_path / "config.yaml").write_text(
        f"input_dir: vcfs\noutput_dir: results\nmtorvar: {sys.executable} -m mtorvar\n"
        "annotate_args: ''\nhtml: true\n")
    return tmp_path


def _snakemake(cwd: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-m", "snakemake", "--cores", "2", "-s",
               str(ROOT / "workflow" / "Snakefile"), "--configfile", "config.yaml", *extra]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600, check=False)


def _logs(cwd: Path) -> str:
    logs = sorted((cwd / "results" / "logs").glob("*.log")) if (cwd / "results").exists() else []
    return "\n".join(f"== {p.name}\n{p.read_text()[-800:]}" for p in logs)


def test_snakemake_dry_run_finds_both_tumours(cohort_dir: Path) -> None:
    done = _snakemake(cohort_dir, "-n")
    assert done.returncode == 0, done.stderr[-3000:]
    text = done.stdout + done.stderr
    assert "results/reports/T1.json" in text
    assert "results/reports/T2.json" in text
    assert "README" not in text


def test_snakemake_runs_end_to_end(cohort_dir: Path) -> None:
    done = _snakemake(cohort_dir)
    assert done.returncode == 0, done.stderr[-3000:] + _logs(cohort_dir)
    results = cohort_dir / "results"
    for name in ("T1", "T2"):
        report = json.loads((results / "reports" / f"{name}.json").read_text())
        assert report["schema_version"]
        assert any(v.get("hgvs_p") == "p.Q1178*" for v in report["variants"])
        html = (results / "html" / f"{name}.html").read_text()
        assert html.startswith("<!DOCTYPE html>")
    rows = list(csv.DictReader(io.StringIO((results / "cohort.tsv").read_text()),
                               delimiter="\t", quoting=csv.QUOTE_NONE))
    assert sorted(r["tumour"] for r in rows) == ["T1", "T2"]
    cohort = json.loads((results / "cohort.json").read_text())
    tsc2 = [v for v in cohort["variants"] if v["gene"] == "TSC2" and v["hgvs_p"] == "p.Q1178*"]
    assert len(tsc2) == 1
    assert tsc2[0]["n_tumours"] == 2
    again = _snakemake(cohort_dir)  # nothing left to do: outputs are up to date
    assert again.returncode == 0
    assert "Nothing to be done" in again.stdout + again.stderr
