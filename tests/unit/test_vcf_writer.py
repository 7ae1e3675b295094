"""Annotated VCF/BCF output: readable by bcftools, carries every reported field."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pysam
import pytest

from mtorvar.errors import InputError, UsageError
from mtorvar.io.vcf_writer import write_annotated_vcf
from tests.unit.report_factory import make_report

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "report_multiregion"
needs_bcftools = pytest.mark.skipif(shutil.which("bcftools") is None, reason="bcftools absent")


def _records(path: Path) -> list[pysam.VariantRecord]:
    with pysam.VariantFile(str(path)) as vf:
        return list(vf)


@needs_bcftools
@pytest.mark.parametrize("fmt", ["vcf", "bcf"])
def test_bcftools_reads_output(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    write_annotated_vcf([str(FIXTURE / "input.vcf")], make_report(), str(out), fmt)
    if fmt == "bcf":
        assert out.read_bytes()[:2] == b"\x1f\x8b"  # BGZF
    done = subprocess.run(["bcftools", "view", str(out)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "MTORVAR_HGVSP=p.F2108L" in done.stdout
    query = subprocess.run(
        ["bcftools", "query", "-f", "%POS\t%MTORVAR_RAPALOG[\t%MTS]\n", str(out)],
        capture_output=True, text=True, check=True)
    rows = query.stdout.splitlines()
    assert rows[0] == "11127039\tresistant\tabsent\tabsent\tpresent\tabsent"
    assert rows[3] == ("25245350\treduced,reduced\tabsent,absent\tpresent,not_assessed\t"
                       "not_assessed,not_assessed\tabsent,present")


def test_only_reported_records_in_report_order_with_input_fields_kept(tmp_path: Path) -> None:
    out = tmp_path / "out.vcf"
    write_annotated_vcf([str(FIXTURE / "input.vcf")], make_report(), str(out))
    recs = _records(out)
    assert [r.pos for r in recs] == [11127039, 11150000, 179218303, 25245350, 2080299]
    assert 11100000 not in [r.pos for r in recs]  # not in the report
    f2108 = recs[0]
    assert f2108.id == "rs_f2108l"
    assert f2108.info["DP"] == 490
    assert f2108.samples["R2"]["AD"] == (90, 30)
    assert f2108.info["MTORVAR_RULES"] == ("MTOR-FRB-F2108",)
    assert f2108.samples["R2"]["MTS"] == ("present",)
    kras = recs[3]
    assert list(kras.filter.keys()) == ["LowQual"]
    assert kras.info["MTORVAR_HGVSP"] == ("p.G12D", "p.G12V")
    assert recs[4].info["MTORVAR_HGVSP"] == ("p.Q1178*",)


def test_reannotating_replaces_old_fields(tmp_path: Path) -> None:
    first, second = tmp_path / "a.vcf", tmp_path / "b.vcf"
    write_annotated_vcf([str(FIXTURE / "input.vcf")], make_report(), str(first))
    write_annotated_vcf([str(first)], make_report(command_line=("again",)), str(second))
    text = second.read_text()
    assert text.count("##INFO=<ID=MTORVAR_GENE,") == 1
    assert "##mtorvar_command=again" in text
    assert "##mtorvar_command=mtorvar" not in text
    assert [r.info["MTORVAR_GENE"] for r in _records(second)] == \
        [r.info["MTORVAR_GENE"] for r in _records(first)]


def test_several_inputs_are_merged_by_site(tmp_path: Path) -> None:
    out = tmp_path / "merged.vcf"
    inputs = [str(FIXTURE / "split_a.vcf"), str(FIXTURE / "split_b.vcf")]
    write_annotated_vcf(inputs, make_report(), str(out))
    recs = _records(out)
    assert list(recs[0].samples) == ["N", "R1", "R2", "R3"]
    assert len(recs) == 5
    assert recs[0].samples["R2"]["AD"] == (90, 30)
    assert recs[0].samples["R1"]["AD"] == (150, 0)
    intronic = recs[1]  # absent from split_b: no FORMAT data there, state still reported
    assert intronic.samples["R2"]["AD"] == (None, None)
    assert intronic.samples["R2"]["MTS"] == ("present",)


@needs_bcftools
def test_indexed_input_is_fetched(tmp_path: Path) -> None:
    gz = tmp_path / "in.vcf.gz"
    subprocess.run(["bcftools", "view", "-Oz", "-o", str(gz), str(FIXTURE / "input.vcf")],
                   check=True)
    subprocess.run(["bcftools", "index", "-t", str(gz)], check=True)
    out = tmp_path / "out.vcf.gz"
    write_annotated_vcf([str(gz)], make_report(), str(out))
    assert out.read_bytes()[:2] == b"\x1f\x8b"
    assert [r.pos for r in _records(out)] == [11127039, 11150000, 179218303, 25245350, 2080299]


@needs_bcftools
@pytest.mark.parametrize("compress", ["bgzip", "gzip"])
def test_unindexed_compressed_input_is_prefiltered(tmp_path: Path, compress: str) -> None:
    import gzip

    source = tmp_path / "in.vcf.gz"
    raw = (FIXTURE / "input.vcf").read_bytes()
    if compress == "gzip":
        source.write_bytes(gzip.compress(raw))
    else:
        subprocess.run(["bcftools", "view", "-Oz", "-o", str(source), str(FIXTURE / "input.vcf")],
                       check=True)
    out = tmp_path / "out.vcf"
    write_annotated_vcf([str(source)], make_report(), str(out))
    plain = tmp_path / "plain.vcf"
    write_annotated_vcf([str(FIXTURE / "input.vcf")], make_report(), str(plain))
    assert [str(r) for r in _records(out)] == [str(r) for r in _records(plain)]
    assert len(_records(out)) == 5


def test_failure_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "out.vcf"
    with pytest.raises(InputError, match="cannot reopen input"):
        write_annotated_vcf([str(tmp_path / "missing.vcf")], make_report(), str(out))
    assert list(tmp_path.iterdir()) == []


def test_atomic_rename_keeps_old_file_on_error(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.vcf"
    out.write_text("old\n")
    import mtorvar.io.vcf_writer as writer

    def boom(*_: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer, "_copy_samples", boom)
    with pytest.raises(RuntimeError):
        write_annotated_vcf([str(FIXTURE / "split_a.vcf"), str(FIXTURE / "split_b.vcf")],
                            make_report(), str(out))
    assert out.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.vcf"]


@pytest.mark.parametrize(
    ("inputs", "fmt", "message"),
    [(["-"], "vcf", "stdin"), ([], "vcf", "no input"), (["x.vcf"], "maf", "unknown")],
)
def test_usage_errors(inputs: list[str], fmt: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=message):
        write_annotated_vcf(inputs, make_report(), str(tmp_path / "o.vcf"), fmt)
