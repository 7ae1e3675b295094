"""Genome-build decision: contig lengths, header names, REF bases, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtorvar.errors import BuildError
from mtorvar.genome.builds import decide_build, ref_tally, too_many_mismatches
from mtorvar.genome.chromosome_lengths import CHROMOSOMES
from mtorvar.genome.sequence import bundled
from mtorvar.models.variant import Allele
from mtorvar.models.vcf import VcfHeader

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
MTOR_STRETCH = (11217230, 11217240)  # exonic in both builds; bases differ between them


def _allele(contig: str, pos: int, ref: str, chrom: str | None = None) -> Allele:
    alt = "A" if ref != "A" else "C"
    return Allele(chrom=chrom or contig, contig=contig, pos=pos, ref=ref, alt=alt,
                  allele_index=1)


def _mtor_alleles(build: str, chrom: str = "1") -> list[Allele]:
    start, end = MTOR_STRETCH
    seq = bundled(build).fetch("1", start, end)
    assert seq is not None
    return [_allele("1", start + i, base, chrom) for i, base in enumerate(seq)]


def _header(**kw) -> VcfHeader:
    return VcfHeader(path="x.vcf", samples=(), **kw)


def _contigs(build: str, style: str = "") -> dict[str, int | None]:
    return {style + name: length for name, _, _, length in CHROMOSOMES[build][:3]}


def test_contig_lengths_decide() -> None:
    decision = decide_build(_header(contigs=_contigs("GRCh38")), _mtor_alleles("GRCh38"))
    assert decision.build == "GRCh38"
    assert "##contig" in decision.evidence


def test_reference_line_decides() -> None:
    decision = decide_build(_header(reference="file:///data/hs37d5.fa"), [])
    assert decision.build == "GRCh37"
    assert "##reference" in decision.evidence


@pytest.mark.parametrize("build", ["GRCh37", "GRCh38"])
def test_ref_bases_decide_when_header_is_silent(build: str) -> None:
    decision = decide_build(_header(), _mtor_alleles(build))
    assert decision.build == build
    assert "REF bases" in decision.evidence


def test_no_in_gene_records_is_fine_even_when_undecidable() -> None:
    decision = decide_build(_header(), [])
    assert decision.build is None


def test_undecidable_with_in_gene_records_asks_for_genome() -> None:
    # a position with no bundled sequence in either build
    with pytest.raises(BuildError) as info:
        decide_build(_header(), [_allele("12", 25300000, "A")])
    assert "--genome" in info.value.one_line()


def test_explicit_genome_contradicting_contigs_is_refused() -> None:
    with pytest.raises(BuildError, match="contradicts"):
        decide_build(_header(contigs=_contigs("GRCh38")), [], "GRCh37")


def test_grch37_file_run_as_grch38_is_refused_naming_grch37() -> None:
    with pytest.raises(BuildError) as info:
        decide_build(_header(), _mtor_alleles("GRCh37"), "GRCh38")
    line = info.value.one_line()
    assert "looks like GRCh37" in line
    assert "--genome GRCh37" in line


def test_contigs_say_38_but_bases_are_37_is_refused() -> None:
    with pytest.raises(BuildError, match="GRCh37"):
        decide_build(_header(contigs=_contigs("GRCh38")), _mtor_alleles("GRCh37"))


def test_hg19_chrm_is_grch37_with_a_note() -> None:
    contigs = {**_contigs("GRCh37", "chr"), "chrM": 16571}
    decision = decide_build(_header(contigs=contigs), _mtor_alleles("GRCh37", "chr1"))
    assert decision.build == "GRCh37"
    assert any("hg19" in n for n in decision.notes)


def test_hg19_fixture_file() -> None:
    from mtorvar.engine.normalise import split_record
    from mtorvar.genome.transcripts import gene_windows
    from mtorvar.io.vcf_reader import open_vcf

    with open_vcf(str(FIXTURES / "build_hg19" / "hg19_pik3ca.vcf"),
                  windows=gene_windows(None)) as vcf:
        alleles = [a for r in vcf.records for a in split_record(r, "3")]
        decision = decide_build(vcf.header, alleles)
    assert decision.build == "GRCh37"
    assert any("16,571" in n for n in decision.notes)


def test_mismatch_threshold() -> None:
    alleles = _mtor_alleles("GRCh37")
    tally = ref_tally(alleles, "GRCh37")
    assert tally.checked == len(alleles)
    assert tally.mismatched == 0
    assert not too_many_mismatches(tally)
    one_bad = [*alleles[:-1], _allele("1", alleles[-1].pos, "T" if alleles[-1].ref != "T"
                                      else "G")]
    assert not too_many_mismatches(ref_tally(one_bad, "GRCh37"))  # 1 of 11: a note only
    assert too_many_mismatches(ref_tally(alleles, "GRCh38"))
