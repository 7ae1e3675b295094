"""Indels whose equivalent placements straddle an exon/intron boundary.

HGVS names an indel at its 3'-most placement on the transcript. When that placement reaches
the intron, the change sits on a splice junction: the c. name is intronic and the protein
change is not predicted (p.?), as VariantValidator reports (its test suite:
``ENST00000298552.9:c.363+1dup`` -> ``p.?``, VCF 9:135800972 A>AC on GRCh37,
9:132925585 A>AC on GRCh38). Before this fix mtorvar gave the intronic c. name with a
frameshift read from an exonic placement (TSC1 p.M122Dfs*4) and no splice_donor term.
Names that keep an exonic base (c.481_481+1insCCG) keep the exonic reading (golden cases).
"""

from __future__ import annotations

import pytest

from mtorvar.genome.consequence import annotate_allele
from mtorvar.genome.sequence import bundled
from mtorvar.models.base import Build

TSC1_C363_PLUS1_DUP = {"GRCh37": 135800972, "GRCh38": 132925585}  # VCF A>AC (minus strand)
TSC2_C225_EXON_END = {"GRCh37": 2100487, "GRCh38": 2050486}  # last base of exon 3, c.225


@pytest.mark.parametrize("build", ["GRCh37", "GRCh38"])
def test_minus_strand_dup_reaching_the_donor_is_splice_not_frameshift(build: Build) -> None:
    pos = TSC1_C363_PLUS1_DUP[build]
    ann = annotate_allele("9", pos, "A", "AC", build)
    assert ann is not None
    assert ann.gene == "TSC1"
    assert ann.hgvs_c == "c.363+1dup"
    assert ann.hgvs_p is None
    assert ann.consequence[0] == "splice_donor_variant"
    assert "frameshift_variant" not in ann.consequence
    assert ann.variant_class == "splice"
    assert any("splice site" in w and "p.M122Dfs*4" in w for w in ann.warnings)


@pytest.mark.parametrize("build", ["GRCh37", "GRCh38"])
def test_minus_strand_answer_does_not_depend_on_the_written_placement(build: Build) -> None:
    pos = TSC1_C363_PLUS1_DUP[build]
    after = bundled(build).fetch("9", pos + 1, pos + 1)
    assert after == "C"  # so inserting C after pos + 1 is the same genomic change
    left = annotate_allele("9", pos, "A", "AC", build)
    right = annotate_allele("9", pos + 1, "C", "CC", build)
    assert left is not None
    assert right is not None
    assert (left.hgvs_c, left.hgvs_p, left.consequence) == (
        right.hgvs_c, right.hgvs_p, right.consequence)


@pytest.mark.parametrize("build", ["GRCh37", "GRCh38"])
def test_plus_strand_dup_of_the_exon_end_shifts_onto_the_donor(build: Build) -> None:
    end = TSC2_C225_EXON_END[build]
    bases = bundled(build).fetch("16", end, end + 2)
    assert bases == "GGT"  # exon ends in G; the intron starts GT
    ann = annotate_allele("16", end, "G", "GG", build)
    assert ann is not None
    assert ann.gene == "TSC2"
    assert ann.hgvs_c == "c.225+1dup"
    assert ann.hgvs_p is None
    assert ann.consequence == ("splice_donor_variant",)


@pytest.mark.parametrize("build", ["GRCh37", "GRCh38"])
def test_indel_that_stays_inside_the_exon_keeps_its_protein(build: Build) -> None:
    # One base before the exon end: inserting T after the G at c.224 cannot reach the intron.
    end = TSC2_C225_EXON_END[build]
    before = bundled(build).fetch("16", end - 1, end - 1)
    assert before is not None
    assert before != "T"
    ann = annotate_allele("16", end - 1, before, before + "T", build)
    assert ann is not None
    assert ann.hgvs_p is not None
    assert ann.hgvs_c == "c.224_225insT"
    assert "frameshift_variant" in ann.consequence
    assert not any("splice site" in w for w in ann.warnings)
