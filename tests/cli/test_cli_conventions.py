"""CLI conventions bcftools/VEP users expect: '-', -O from the extension, --quiet, --version,
determinism, several per-region inputs, --pass-only, sites-only, --normal, index or not, BCF."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pysam
import pytest

from tests.cli.conftest import EXAMPLE, ROOT, CliRunner, run_subprocess

FIXTURES = ROOT / "fixtures"
VCF = EXAMPLE / "multiregion.vcf"
SHEET = EXAMPLE / "samples.tsv"


def _report(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _annotate(cli: CliRunner, *args: str | Path, out: Path) -> dict[str, Any]:
    result = cli("annotate", *args, "-o", out, "-q")
    assert result.code == 0, result.err
    return _report(out)


def _states(report: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    return [(v["id"], {s: o["state"] for s, o in v["observations"].items()})
            for v in report["variants"]]


# ----------------------------------------------------------------------------- - and -O
def test_stdin_to_stdout() -> None:
    proc = run_subprocess("annotate", "-", "-q", stdin=VCF.read_bytes())
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    report = json.loads(proc.stdout)
    assert len(report["variants"]) == 3
    assert report["input"]["sha256"] is None  # stdin cannot be re-read for a digest


def test_stdout_is_data_only_and_summary_goes_to_stderr() -> None:
    proc = run_subprocess("annotate", VCF, "--samples", SHEET, "-o", "-", "-O", "tsv")
    assert proc.returncode == 0
    assert proc.stdout.startswith(b"variant_id\t")
    assert b"Predicted response per region" in proc.stderr
    assert b"Predicted response" not in proc.stdout


def _kind(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith(b"\x1f\x8b"):
        inner = gzip.decompress(data)
        return "bcf" if inner.startswith(b"BCF") else "vcf.gz"
    if data.startswith(b"{"):
        json.loads(data)
        return "json"
    if data.startswith(b"##fileformat=VCF"):
        return "vcf"
    if data.lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    if data.startswith(b"variant_id\t"):
        return "tsv"
    return "unknown"


@pytest.mark.parametrize(("name", "kind"), [
    ("r.json", "json"), ("r.tsv", "tsv"), ("r.vcf", "vcf"), ("r.vcf.gz", "vcf.gz"),
    ("r.bcf", "bcf"), ("r.html", "html"), ("R.JSON", "json"), ("noextension", "json"),
])
def test_output_format_from_extension(cli: CliRunner, tmp_path: Path, name: str,
                                      kind: str) -> None:
    out = tmp_path / name
    result = cli("annotate", VCF, "-o", out, "-q")
    assert result.code == 0, result.err
    assert _kind(out) == kind


def test_explicit_format_beats_the_extension(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert cli("annotate", VCF, "-o", out, "-O", "tsv", "-q").code == 0
    assert _kind(out) == "tsv"


def test_quiet_silences_stderr(cli: CliRunner, tmp_path: Path) -> None:
    loud = cli("annotate", VCF, "-o", tmp_path / "a.json")
    assert loud.code == 0
    assert "tumour sample(s)" in loud.err
    quiet = cli("annotate", VCF, "-o", tmp_path / "b.json", "--quiet")
    assert quiet.code == 0
    assert quiet.err == ""
    assert quiet.out == ""


def test_version() -> None:
    proc = run_subprocess("--version")
    assert proc.returncode == 0
    text = proc.stdout.decode()
    assert text.startswith("mtorvar ")
    from mtorvar import __version__

    assert text.strip() == f"mtorvar {__version__}"


# ----------------------------------------------------------------------------- determinism
@pytest.mark.parametrize("fmt", ["json", "tsv", "html"])
def test_two_runs_are_byte_identical(fmt: str) -> None:
    args = ("annotate", VCF, "--samples", SHEET, "-O", fmt, "-q")
    first, second = run_subprocess(*args), run_subprocess(*args)
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout
    assert len(first.stdout) > 500


def _assert_keys_sorted(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    assert keys == sorted(keys), keys
    return dict(pairs)


@pytest.mark.usefixtures("fixed_epoch")
def test_json_order_samples_variants_and_keys(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert cli("annotate", VCF, "--samples", SHEET, "-o", out, "-q").code == 0
    text = out.read_text()
    json.loads(text, object_pairs_hook=_assert_keys_sorted)  # keys sorted at every level
    report = json.loads(text)
    header = next(ln for ln in VCF.read_text().splitlines() if ln.startswith("#CHROM"))
    assert [s["name"] for s in report["samples"]] == header.split("\t")[9:]
    assert report["created"].startswith("2023-11-14T22:13:20")  # from SOURCE_DATE_EPOCH


def test_samples_keep_input_order_not_alphabetical(cli: CliRunner, tmp_path: Path) -> None:
    text = VCF.read_text()
    renamed = text.replace("\tNORMAL\tR1\tR2\tR3", "\tzeta\tR1\tbeta\talpha")
    assert renamed != text
    src = tmp_path / "renamed.vcf"
    src.write_text(renamed)
    report = _annotate(cli, src, out=tmp_path / "r.json")
    assert [s["name"] for s in report["samples"]] == ["zeta", "R1", "beta", "alpha"]
    for variant in report["variants"]:
        assert list(variant["observations"]) == sorted(variant["observations"])  # sorted keys


# ----------------------------------------------------------------------------- VCF output
@pytest.mark.skipif(shutil.which("bcftools") is None, reason="bcftools not installed")
@pytest.mark.parametrize("name", ["r.vcf", "r.vcf.gz", "r.bcf"])
def test_annotated_vcf_is_readable_by_bcftools(cli: CliRunner, tmp_path: Path,
                                               name: str) -> None:
    out = tmp_path / name
    assert cli("annotate", VCF, "--samples", SHEET, "-o", out, "-q").code == 0
    proc = subprocess.run(["bcftools", "view", "-H", str(out)], capture_output=True,
                          check=False, timeout=60)
    assert proc.returncode == 0, proc.stderr
    records = proc.stdout.decode().splitlines()
    assert len(records) == 3
    assert all("MTORVAR_GENE=" in r for r in records)
    query = subprocess.run(["bcftools", "query", "-f", "%POS[\t%MTS]\n", str(out)],
                           capture_output=True, check=True, timeout=60).stdout.decode()
    assert "present" in query


# ----------------------------------------------------------------------------- inputs
def test_per_region_files_merged_by_site(cli: CliRunner, tmp_path: Path) -> None:
    r1, r2 = FIXTURES / "het_per_region" / "R1.vcf", FIXTURES / "het_per_region" / "R2.vcf"
    report = _annotate(cli, r1, r2, "--normal", "NORMAL", out=tmp_path / "r.json")
    assert [s["name"] for s in report["samples"]] == ["NORMAL", "R1", "R2"]
    states = dict(_states(report))
    mtor = next(k for k in states if k.endswith("11127039:A>G"))
    assert states[mtor]["R1"] == "not_assessed"  # R1's file lacks the site
    assert states[mtor]["R2"] == "present"
    tsc2 = next(k for k in states if k.endswith("2080299:C>T"))
    assert states[tsc2]["R1"] == states[tsc2]["R2"] == "present"
    assert report["input"]["paths"] == [str(r1), str(r2)]


def test_pass_only_marks_failing_records_filtered(cli: CliRunner, tmp_path: Path) -> None:
    vcf = FIXTURES / "het_states" / "states.vcf"
    plain = dict(_states(_annotate(cli, vcf, out=tmp_path / "a.json")))
    strict = dict(_states(_annotate(cli, vcf, "--pass-only", out=tmp_path / "b.json")))
    kras = next(k for k in strict if "25245350" in k)
    assert plain[kras]["R1"] == "present"
    assert set(strict[kras].values()) == {"filtered"}
    passing = next(k for k in strict if "2080299" in k)
    assert strict[passing] == plain[passing]


def test_sites_only_vcf_gives_sites_sample(cli: CliRunner, tmp_path: Path) -> None:
    vcf = FIXTURES / "het_sites_only" / "sites.vcf"
    report = _annotate(cli, vcf, out=tmp_path / "r.json")
    assert [s["name"] for s in report["samples"]] == ["SITES"]
    records = [ln for ln in vcf.read_text().splitlines() if ln and not ln.startswith("#")]
    assert len(report["variants"]) == len(records)
    assert all(set(v["observations"]) == {"SITES"} for v in report["variants"])


def test_no_record_in_the_five_genes_is_success_even_undecidable(cli: CliRunner,
                                                                 tmp_path: Path) -> None:
    report = _annotate(cli, FIXTURES / "cli_no_gene" / "elsewhere.vcf", out=tmp_path / "r.json")
    assert report["variants"] == []
    assert report["input"]["genome_build"] is None


def test_normal_option_is_honoured(cli: CliRunner, tmp_path: Path) -> None:
    vcf = FIXTURES / "io_basic" / "tumor_normal.vcf"
    swapped = _annotate(cli, vcf, "--normal", "TUMOR", out=tmp_path / "a.json")
    roles = {s["name"]: s["role"] for s in swapped["samples"]}
    assert roles == {"NORMAL": "tumor", "TUMOR": "normal"}
    assert [r["sample"] for r in swapped["regions"]] == ["NORMAL"]  # the normal is no region
    usual = _annotate(cli, vcf, "--normal", "NORMAL", out=tmp_path / "b.json")
    assert [r["sample"] for r in usual["regions"]] == ["TUMOR"]


@pytest.fixture
def compressed(tmp_path: Path) -> dict[str, Path]:
    """The example as bgzipped VCF with a .tbi and with a .csi index, and as BCF."""
    text = tmp_path / "m.vcf"
    text.write_bytes(VCF.read_bytes())
    out: dict[str, Path] = {}
    for name in ("tbi", "csi"):
        folder = tmp_path / name
        folder.mkdir()
        gz = folder / "m.vcf.gz"
        pysam.tabix_compress(str(text), str(gz))
        pysam.tabix_index(str(gz), preset="vcf", csi=name == "csi")
        out[name] = gz
    bcf = tmp_path / "m.bcf"
    with pysam.VariantFile(str(text)) as src, pysam.VariantFile(str(bcf), "wb",
                                                                header=src.header) as dst:
        for record in src:
            dst.write(record)
    out["bcf"] = bcf
    return out


def test_indexed_unindexed_stdin_and_bcf_agree(cli: CliRunner, tmp_path: Path,
                                               compressed: dict[str, Path]) -> None:
    assert Path(str(compressed["tbi"]) + ".tbi").exists()
    assert Path(str(compressed["csi"]) + ".csi").exists()
    reference = _states(_annotate(cli, VCF, out=tmp_path / "plain.json"))
    assert len(reference) == 3
    runs = {
        "tbi": _annotate(cli, compressed["tbi"], out=tmp_path / "tbi.json"),
        "csi": _annotate(cli, compressed["csi"], out=tmp_path / "csi.json"),
        "no_index": _annotate(cli, compressed["tbi"], "--no-index", out=tmp_path / "ni.json"),
        "bcf": _annotate(cli, compressed["bcf"], out=tmp_path / "bcf.json"),
    }
    assert runs["tbi"]["input"]["indexed"] is True
    assert runs["no_index"]["input"]["indexed"] is False
    for name, report in runs.items():
        assert _states(report) == reference, name
    piped = run_subprocess("annotate", "-", "-q", stdin=compressed["tbi"].read_bytes())
    assert piped.returncode == 0, piped.stderr
    assert _states(json.loads(piped.stdout)) == reference
    bcf_piped = run_subprocess("annotate", "-", "-q", stdin=compressed["bcf"].read_bytes())
    assert bcf_piped.returncode == 0, bcf_piped.stderr
    assert _states(json.loads(bcf_piped.stdout)) == reference
