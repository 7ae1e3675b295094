"""Merging one VCF per region by site."""

from __future__ import annotations

from pathlib import Path

from mtorvar.engine.merge import SITE_NOT_IN_FILE, contig_rank, merge_inputs
from mtorvar.models.variant import Allele, AlleleCall
from mtorvar.models.vcf import VcfHeader
from tests.unit.het_helpers import read_fixture_vcf


def _allele(pos: int, *calls: AlleleCall, chrom: str = "chr1", filters: tuple = ("PASS",),
            alt: str = "G") -> Allele:
    return Allele(chrom=chrom, contig=chrom.removeprefix("chr"), pos=pos, ref="A", alt=alt,
                  allele_index=1, filters=filters, calls=calls)


def _header(path: str, *samples: str, **meta: str) -> VcfHeader:
    return VcfHeader(path=path, samples=samples, meta=meta)


def test_fixture_merge(fixtures_dir: Path) -> None:
    case = fixtures_dir / "het_per_region"
    merged = merge_inputs([read_fixture_vcf(case / "R1.vcf"), read_fixture_vcf(case / "R2.vcf")])
    assert merged.samples == ("NORMAL", "R1", "R2")
    assert [(a.contig, a.pos) for a in merged.alleles] == [("1", 11127039), ("16", 2080299)]
    mtor, tsc2 = merged.alleles
    assert mtor.calls[1] == AlleleCall(depth_source=SITE_NOT_IN_FILE)  # R1's file lacks it
    assert mtor.calls[2].alt_reads == 25
    assert mtor.calls[0].depth == 64  # NORMAL from R2's file
    assert tsc2.calls[0].depth == 120  # identical in both files
    assert all(len(a.calls) == 3 for a in merged.alleles)
    assert merged.meta == {"normal_sample": "NORMAL"}
    assert merged.warnings == ()


def test_single_input_passes_through() -> None:
    alleles = [_allele(5, AlleleCall(alt_reads=3, depth=10))]
    merged = merge_inputs([(_header("a.vcf", "R1", normal_sample="N"), alleles)])
    assert merged.samples == ("R1",)
    assert merged.alleles == tuple(alleles)
    assert merged.meta == {"normal_sample": "N"}


def test_per_file_filters_are_kept_on_calls() -> None:
    a = _allele(5, AlleleCall(alt_reads=3, depth=10), filters=("weak_evidence",))
    b = _allele(5, AlleleCall(alt_reads=9, depth=10))
    merged = merge_inputs([(_header("a.vcf", "R1"), [a]), (_header("b.vcf", "R2"), [b])])
    calls = merged.alleles[0].calls
    assert calls[0].filters == ("weak_evidence",)
    assert calls[1].filters == ("PASS",)


def test_chr_and_bare_names_merge_and_order_is_genomic() -> None:
    one = [_allele(300, AlleleCall(depth=5), chrom="chr16"), _allele(9, AlleleCall(depth=5))]
    two = [_allele(9, AlleleCall(depth=7), chrom="1"), _allele(2, AlleleCall(depth=7),
                                                                chrom="X")]
    merged = merge_inputs([(_header("a", "R1"), one), (_header("b", "R2"), two)])
    assert [(a.contig, a.pos) for a in merged.alleles] == [("1", 9), ("16", 300), ("X", 2)]
    assert merged.alleles[0].chrom == "chr1"  # first file's naming kept
    assert [c.depth for c in merged.alleles[0].calls] == [5, 7]
    assert sorted(["MT", "10", "2", "X", "GL000220.1"], key=contig_rank) == [
        "2", "10", "X", "MT", "GL000220.1"]


def test_same_name_different_regions_are_kept_apart() -> None:
    # Strelka writes TUMOR in every file: two regions, one name (bcftools --force-samples style)
    a = [_allele(5, AlleleCall(alt_reads=30, depth=100))]
    b = [_allele(5, AlleleCall(alt_reads=0, depth=100))]
    merged = merge_inputs([(_header("dir/r1.vcf.gz", "TUMOR"), a),
                           (_header("r2.vcf", "TUMOR"), b)])
    assert merged.samples == ("r1:TUMOR", "r2:TUMOR")
    (site,) = merged.alleles
    assert [c.alt_reads for c in site.calls] == [30, 0]
    assert any("kept apart as r1:TUMOR, r2:TUMOR" in w for w in merged.warnings)


def test_same_name_without_shared_site_is_kept_apart() -> None:
    a = [_allele(5, AlleleCall(alt_reads=30, depth=100))]
    b = [_allele(6, AlleleCall(alt_reads=30, depth=100))]
    merged = merge_inputs([(_header("x/t.vcf", "TUMOR"), a), (_header("y/t.vcf", "TUMOR"), b)])
    # same file names: labels fall back to the input's position
    assert merged.samples == ("1:TUMOR", "2:TUMOR")
    assert [[c.depth_source for c in s.calls] for s in merged.alleles] == [
        [None, SITE_NOT_IN_FILE], [SITE_NOT_IN_FILE, None]]


def test_identical_sample_in_two_files_is_accepted() -> None:
    call = AlleleCall(alt_reads=30, depth=100)
    merged = merge_inputs([(_header("a", "X", "R1"), [_allele(5, call, AlleleCall())]),
                           (_header("b", "X", "R2"), [_allele(5, call, AlleleCall())])])
    assert merged.samples == ("X", "R1", "R2")


def test_declared_normal_may_differ_greater_depth_wins() -> None:
    a = [_allele(5, AlleleCall(alt_reads=0, depth=80), AlleleCall(alt_reads=20, depth=90))]
    b = [_allele(5, AlleleCall(alt_reads=0, depth=95), AlleleCall(alt_reads=0, depth=90))]
    merged = merge_inputs([(_header("a", "N", "R1", normal_sample="N"), a),
                           (_header("b", "N", "R2", normal_sample="N"), b)])
    assert merged.alleles[0].calls[0].depth == 95
    assert any("sample N differs" in w for w in merged.warnings)
    # declared by the caller instead of the header
    merged = merge_inputs([(_header("a", "N", "R1"), a), (_header("b", "N", "R2"), b)],
                          same_samples={"N"})
    assert merged.alleles[0].calls[0].depth == 95


def test_sites_only_file_contributes_sites_not_samples() -> None:
    merged = merge_inputs([(_header("a", "R1"), [_allele(5, AlleleCall(depth=5))]),
                           (_header("sites"), [_allele(7)])])
    assert merged.samples == ("R1",)
    assert merged.alleles[1].calls == (AlleleCall(depth_source=SITE_NOT_IN_FILE),)
    assert any("no samples" in w for w in merged.warnings)


def test_duplicate_site_in_one_file_keeps_first() -> None:
    first = _allele(5, AlleleCall(depth=5))
    merged = merge_inputs([(_header("a", "R1"), [first, _allele(5, AlleleCall(depth=9))]),
                           (_header("b", "R2"), [])])
    assert merged.alleles[0].calls[0].depth == 5
    assert any("appears twice" in w for w in merged.warnings)
