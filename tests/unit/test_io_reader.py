"""The VCF reader: routes (text, bgzip, BCF, indexed, stdin), contig names, FORMAT fields."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pysam
import pytest

from mtorvar.errors import InputError
from mtorvar.genome.transcripts import gene_windows
from mtorvar.io.vcf_fields import allele_depths
from mtorvar.io.vcf_reader import open_vcf
from mtorvar.io.vcf_text import range_regex

WINDOWS = gene_windows(None)
BASIC = Path(__file__).resolve().parents[2] / "fixtures" / "io_basic" / "tumor_normal.vcf"


def _read(path: str, windows=WINDOWS, **kw):
    with open_vcf(path, windows=windows, **kw) as vcf:
        return vcf.header, list(vcf.records)


def _renamed(tmp_path: Path, style: str) -> Path:
    names = {"chr": {c: f"chr{c}" for c in ("1", "3", "7", "12")},
             "nc": {"1": "NC_000001.10", "3": "NC_000003.11", "7": "NC_000007.13",
                    "12": "NC_000012.11"}}.get(style, {})
    out = []
    for line in BASIC.read_text().splitlines():
        cols = line.split("\t")
        if not line.startswith("#"):
            cols[0] = names.get(cols[0], cols[0])
        out.append("\t".join(cols))
    path = tmp_path / f"{style}.vcf"
    path.write_text("\n".join(out) + "\n")
    return path


@pytest.mark.parametrize("style", ["plain", "chr", "nc"])
def test_contig_naming_styles_select_the_same_records(tmp_path: Path, style: str) -> None:
    _, records = _read(str(_renamed(tmp_path, style)))
    assert [(r.pos, r.alts) for r in records] == [
        (178936091, ("A", "T")), (178936200, ("<DEL>",)), (25398284, ("T",))]


def test_without_windows_every_record_is_read() -> None:
    header, records = _read(str(BASIC), windows=None)
    assert len(records) == 5
    assert header.samples == ("NORMAL", "TUMOR")
    assert header.reference == "file:///ref/hs37d5.fa"
    assert [r.record_no for r in records] == [1, 2, 3, 4, 5]


def test_format_fields_are_extracted() -> None:
    _, records = _read(str(BASIC))
    pik3ca = records[0]
    tumor = pik3ca.samples[1]
    assert tumor.gt == (0, 1)
    assert tumor.allele_depths == (20, 15, 5)
    assert tumor.depth_source == "AD"
    assert tumor.depth == 40
    assert tumor.allele_freqs == pytest.approx((0.375, 0.125))
    assert pik3ca.id == "cosm763"
    assert pik3ca.filters == ("PASS",)
    kras = records[2]
    assert kras.filters == ("lowqual",)
    assert kras.samples[1].allele_depths is None  # AD '.' is "no data", never zero
    assert kras.samples[1].depth == 25


def _bgzip(src: Path, dst: Path) -> Path:
    pysam.tabix_compress(str(src), str(dst), force=True)
    return dst


def test_bgzip_indexed_and_unindexed_agree(tmp_path: Path) -> None:
    gz = _bgzip(BASIC, tmp_path / "x.vcf.gz")
    _, streamed = _read(str(gz))
    pysam.tabix_index(str(gz), preset="vcf", force=True)
    header, indexed = _read(str(gz))
    assert header.indexed
    csi_dir = tmp_path / "csi"
    csi_dir.mkdir()
    gz2 = _bgzip(BASIC, csi_dir / "x.vcf.gz")
    pysam.tabix_index(str(gz2), preset="vcf", force=True, csi=True)
    _, via_csi = _read(str(gz2))
    _, no_index = _read(str(gz), use_index=False)

    def key(rs):
        return [(r.chrom, r.pos, r.ref, r.alts, r.samples) for r in rs]

    assert key(streamed) == key(indexed) == key(via_csi) == key(no_index)
    assert len(streamed) == 3


@pytest.mark.skipif(shutil.which("bcftools") is None, reason="bcftools not installed")
def test_bcf_streamed_and_indexed(tmp_path: Path) -> None:
    bcf = tmp_path / "x.bcf"
    subprocess.run(["bcftools", "view", "-Ob", "-o", str(bcf), str(BASIC)], check=True,
                   capture_output=True)
    _, streamed = _read(str(bcf))
    subprocess.run(["bcftools", "index", str(bcf)], check=True)
    header, indexed = _read(str(bcf))
    assert header.indexed
    assert [(r.pos, r.alts) for r in streamed] == [(r.pos, r.alts) for r in indexed]
    assert len(streamed) == 3
    _, text = _read(str(BASIC))
    assert [r.samples for r in streamed] == [r.samples for r in text]


@pytest.mark.parametrize("compressed", [False, True])
def test_stdin(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, compressed: bool) -> None:
    data = _bgzip(BASIC, tmp_path / "s.vcf.gz").read_bytes() if compressed \
        else BASIC.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    _, records = _read("-")
    assert [r.pos for r in records] == [178936091, 178936200, 25398284]


def test_sites_only_gives_zero_samples(tmp_path: Path) -> None:
    path = tmp_path / "sites.vcf"
    path.write_text("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                    "3\t178936091\t.\tG\tA\t.\tPASS\t.\n")
    header, records = _read(str(path))
    assert header.samples == ()
    assert records[0].samples == ()


@pytest.mark.parametrize(("content", "fragment"), [
    (b"", "empty file"),
    (b"hello world\n", "not a VCF"),
    (b"##fileformat=VCFv4.2\n1\t5\t.\tA\tC\t.\t.\t.\n", "no '#CHROM' line"),
])
def test_broken_inputs_are_one_line_input_errors(tmp_path: Path, content: bytes,
                                                 fragment: str) -> None:
    path = tmp_path / "bad.vcf"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        _read(str(path))
    line = info.value.one_line()
    assert fragment in line
    assert "\n" not in line
    assert str(path) in line


def test_missing_file_and_truncated_bgzip(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        _read(str(tmp_path / "nope.vcf"))
    gz = _bgzip(BASIC, tmp_path / "t.vcf.gz")
    data = gz.read_bytes()
    gz.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"truncated|corrupt"):
        _read(str(gz))


def test_malformed_record_names_record_and_htslib_reason(tmp_path: Path) -> None:
    path = tmp_path / "cols.vcf"
    text = BASIC.read_text().replace("0/1:20,15,5:40:0.375,0.125", "")
    path.write_text(text.replace("\t\n", "\n"))
    with pytest.raises(InputError) as info:
        _read(str(path))
    assert "3:178936091" in info.value.one_line()


def test_invalid_info_ids_are_dropped_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "onco.vcf"
    path.write_text("##fileformat=VCFv4.1\n##INFO=<ID=HGNC_ID(by_NCBI),Number=.,Type=String,"
                    "Description=\"x\">\n# Generated By: someone\n"
                    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                    "3\t178936091\t.\tG\tA\t.\tPASS\tHGNC_ID(by_NCBI)=5\n")
    with open_vcf(str(path), windows=WINDOWS) as vcf:
        records = list(vcf.records)
        assert len(vcf.notes) == 2
    assert records[0].pos == 178936091


def test_caller_specific_depths() -> None:
    strelka = {"AU": [1, 2], "CU": [0, 0], "GU": [30, 31], "TU": [9, 9]}
    assert allele_depths(strelka, "G", ["T"]) == ((30, 9), "AU/CU/GU/TU")
    assert allele_depths({"TAR": [40, 41], "TIR": [7, 8]}, "GA", ["G"]) == ((40, 7), "TAR/TIR")
    assert allele_depths({"RD": [12], "AD": [4]}, "C", ["T"]) == ((12, 4), "RD/AD")
    assert allele_depths({"AD": [13]}, "C", ["T"]) == (None, None)  # one value for two alleles
    assert allele_depths({"RO": [10], "AO": [3, 2]}, "C", ["T", "G"]) == ((10, 3, 2), "RO/AO")


def test_range_regex_is_exact() -> None:
    import re

    pattern = re.compile(f"(?:{range_regex(178861145, 178962881)})$")
    for value, inside in [(178861144, False), (178861145, True), (178900000, True),
                          (178962881, True), (178962882, False), (1788611450, False)]:
        assert bool(pattern.match(str(value))) is inside
