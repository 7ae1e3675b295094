"""Allele splitting, skip reasons, and phased same-codon SNV merging."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtorvar.engine.normalise import allele_call, merge_phased_codons, skip_reason, split_record
from mtorvar.genome.transcripts import gene_windows
from mtorvar.io.vcf_reader import open_vcf
from mtorvar.models.vcf import SampleCall, VcfRecord

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _alleles(path: Path):
    with open_vcf(str(path), windows=gene_windows(None)) as vcf:
        return [a for r in vcf.records for a in split_record(r, r.chrom.removeprefix("chr"))]


def test_multiallelic_split_carries_per_allele_evidence() -> None:
    alleles = _alleles(FIXTURES / "io_basic" / "tumor_normal.vcf")
    a, t = alleles[0], alleles[1]
    assert (a.alt, a.allele_index, t.alt, t.allele_index) == ("A", 1, "T", 2)
    tumor_a, tumor_t = a.calls[1], t.calls[1]
    assert (tumor_a.carries, tumor_a.alt_reads, tumor_a.depth) == (True, 15, 40)
    assert tumor_a.vaf == pytest.approx(0.375)
    assert (tumor_t.carries, tumor_t.alt_reads) == (False, 5)
    assert a.calls[0].carries is False
    assert alleles[2].skip_reason is not None
    assert "symbolic" in alleles[2].skip_reason


@pytest.mark.parametrize(("ref", "alt", "alts", "fragment"), [
    ("A", "*", ("C", "*"), "spanning-deletion"),
    ("A", "<DEL>", ("<DEL>",), "symbolic"),
    ("A", "<NON_REF>", ("<NON_REF>",), "gVCF reference block"),
    ("A", "<*>", ("C", "<*>"), "placeholder"),
    ("A", ".", (), "gVCF reference block"),
    ("G", "G]17:198982]", ("G]17:198982]",), "breakend"),
    ("N", "A", ("A",), "N (unknown base)"),
    ("B", "A", ("A",), "ambiguity"),
    ("A", "R", ("R",), "non-ACGT"),
])
def test_skip_reasons(ref: str, alt: str, alts: tuple[str, ...], fragment: str) -> None:
    reason = skip_reason(ref, alt, alts)
    assert reason is not None
    assert fragment in reason


def test_plain_changes_are_not_skipped() -> None:
    assert skip_reason("A", "G", ("G",)) is None
    assert skip_reason("AT", "A", ("A", "ATT")) is None


def test_record_without_alt_gives_one_skipped_allele() -> None:
    record = VcfRecord(record_no=1, chrom="1", pos=5, ref="A", alts=(), info={"END": "90"})
    (allele,) = split_record(record, "1")
    assert allele.skip_reason is not None


def test_depth_falls_back_to_dp_and_vaf_to_af() -> None:
    call = allele_call(SampleCall(gt=(0, 1), depth=50, allele_freqs=(0.2,)), 1)
    assert (call.depth, call.alt_reads, call.vaf, call.depth_source) == (50, None, 0.2, "DP")
    missing = allele_call(SampleCall(), 1)
    assert (missing.carries, missing.depth, missing.vaf) == (None, None, None)


def test_phased_kras_pair_becomes_one_codon_change() -> None:
    alleles = _alleles(FIXTURES / "phased_kras_q61" / "kras_q61.vcf")
    merged, warnings = merge_phased_codons(alleles, "GRCh37")
    assert len(merged) == 1
    assert (merged[0].pos, merged[0].ref, merged[0].alt) == (25380275, "TT", "AA")
    assert merged[0].calls[0].alt_reads == 10
    assert any("codon 61" in w for w in warnings)
    from mtorvar.genome.consequence import annotate_allele

    annotation = annotate_allele("12", 25380275, "TT", "AA", "GRCh37")
    assert annotation is not None
    assert annotation.hgvs_p == "p.Q61L"


def test_unphased_pair_in_one_codon_is_a_warning(tmp_path: Path) -> None:
    text = (FIXTURES / "phased_kras_q61" / "kras_q61.vcf").read_text()
    path = tmp_path / "unphased.vcf"
    path.write_text(text.replace(":0|1:25380275_T_A", ":.:."))
    alleles = _alleles(path)
    merged, warnings = merge_phased_codons(alleles, "GRCh37")
    assert len(merged) == 2
    assert len(warnings) == 1
    assert "12:25380275:T>A" in warnings[0]
    assert "12:25380276:T>A" in warnings[0]
    assert "not phased" in warnings[0]


def test_trans_pair_is_not_merged(tmp_path: Path) -> None:
    text = (FIXTURES / "phased_kras_q61" / "kras_q61.vcf").read_text()
    path = tmp_path / "trans.vcf"
    lines = text.splitlines()
    lines[-1] = lines[-1].replace("0|1:", "1|0:")
    path.write_text("\n".join(lines) + "\n")
    merged, warnings = merge_phased_codons(_alleles(path), "GRCh37")
    assert len(merged) == 2
    assert warnings == []
