"""Notation parser and HGVS formatter: examples and hypothesis round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtorvar.errors import InputError
from mtorvar.genome.codons import CODON_TABLE
from mtorvar.genome.consequence import annotate_allele
from mtorvar.genome.notation import annotation_from_notation
from mtorvar.genome.transcripts import model_for
from mtorvar.models.base import GENES

AMINO = "ACDEFGHIKLMNPQRSTVWY"


@pytest.mark.parametrize(("text", "hgvs_p", "kind"), [
    ("MTOR:p.F2108L", "p.F2108L", "missense"),
    ("MTOR:p.Phe2108Leu", "p.F2108L", "missense"),
    ("MTOR:c.6322T>C", "p.F2108L", "missense"),
    ("NM_004958.4:c.6322T>C", "p.F2108L", "missense"),
    ("TSC2:p.Q1178*", "p.Q1178*", "nonsense"),
    ("TSC2:p.Gln1178Ter", "p.Q1178*", "nonsense"),
    ("TSC2:p.L1750Afs*25", "p.L1750Afs*25", "frameshift"),
    ("KRAS:p.G12D", "p.G12D", "missense"),
    ("PIK3CA:p.E469delinsDK", "p.E469delinsDK", "inframe_delins"),
    ("PIK3CA:p.E545del", "p.E545del", "inframe_deletion"),
    ("TSC2:p.*1808Qext*?", "p.*1808Qext*?", "stop_lost"),
    ("MTOR:p.M1?", "p.M1?", "start_lost"),
    ("MTOR:p.(F2108=)", "p.F2108=", "synonymous"),
])
def test_examples(text: str, hgvs_p: str, kind: str) -> None:
    ann = annotation_from_notation(text)
    assert ann.hgvs_p == hgvs_p
    assert ann.variant_class == kind


def test_frb_domain_and_three_letter() -> None:
    ann = annotation_from_notation("MTOR:p.F2108L")
    assert ann.domains == ("FRB",)
    assert ann.hgvs_p3 == "p.Phe2108Leu"
    assert ann.transcript == "NM_004958.4"
    assert ann.protein_start == 2108


@pytest.mark.parametrize("text", ["BRAF:p.V600E", "MTOR:p.L2108F", "garbage", "MTOR:p.",
                                  "MTOR:c.6322A>C", "MTOR:p.F9999L", "MTOR:g.123A>C",
                                  "NM_000000.1:c.1A>G"])
def test_rejects(text: str) -> None:
    with pytest.raises(InputError):
        annotation_from_notation(text)


@st.composite
def missense(draw: st.DrawFn) -> tuple[str, int, str, str]:
    gene = draw(st.sampled_from(GENES))
    protein = model_for("GRCh38", gene).protein
    pos = draw(st.integers(min_value=2, max_value=len(protein)))
    alt = draw(st.sampled_from(AMINO).filter(lambda a: a != protein[pos - 1]))
    return gene, pos, protein[pos - 1], alt


@settings(max_examples=150, deadline=None)
@given(missense())
def test_protein_round_trip(case: tuple[str, int, str, str]) -> None:
    gene, pos, ref, alt = case
    one = annotation_from_notation(f"{gene}:p.{ref}{pos}{alt}")
    assert one.hgvs_p == f"p.{ref}{pos}{alt}"
    assert one.hgvs_p3 is not None
    three = annotation_from_notation(f"{gene}:{one.hgvs_p3}")
    assert three.hgvs_p == one.hgvs_p
    assert three.domains == one.domains


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(GENES), st.data())
def test_coding_snv_round_trip(gene: str, data: st.DataObject) -> None:
    """c. text -> annotation -> same c. text; the protein change matches the codon table."""
    model = model_for("GRCh38", gene)
    cds = model.cdna[model.cds_start - 1 : model.cds_end]
    c = data.draw(st.integers(min_value=4, max_value=len(cds) - 3))
    alt = data.draw(st.sampled_from("ACGT").filter(lambda b: b != cds[c - 1]))
    text = f"{gene}:c.{c}{cds[c - 1]}>{alt}"
    ann = annotation_from_notation(text)
    assert ann.hgvs_c == f"c.{c}{cds[c - 1]}>{alt}"
    codon = (c - 1) // 3
    triplet = cds[3 * codon : 3 * codon + 3]
    changed = triplet[: (c - 1) % 3] + alt + triplet[(c - 1) % 3 + 1 :]
    ref_aa, alt_aa = CODON_TABLE[triplet], CODON_TABLE[changed]
    expected = (f"p.{ref_aa}{codon + 1}=" if ref_aa == alt_aa else
                f"p.{ref_aa}{codon + 1}{alt_aa}")
    assert ann.hgvs_p == expected
    again = annotation_from_notation(f"{model.transcript}:{ann.hgvs_c}")
    assert again.hgvs_p == ann.hgvs_p


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(("MTOR", "TSC1", "TSC2")), st.data())
def test_deletion_naming_is_idempotent(gene: str, data: st.DataObject) -> None:
    """A deletion's HGVS c. (3'-shifted) parses back to the same c. and p. names."""
    model = model_for("GRCh38", gene)
    cds_len = model.cds_end - model.cds_start + 1
    c = data.draw(st.integers(min_value=10, max_value=cds_len - 20))
    length = data.draw(st.integers(min_value=1, max_value=6))
    first = annotation_from_notation(f"{gene}:c.{c}_{c + length - 1}del")
    assert first.hgvs_c is not None
    assert first.hgvs_c.endswith("del")
    second = annotation_from_notation(f"{gene}:{first.hgvs_c}")
    assert (second.hgvs_c, second.hgvs_p) == (first.hgvs_c, first.hgvs_p)
    kind = "frameshift" if length % 3 else None
    if kind and first.hgvs_p and "*" not in first.hgvs_p[:-3]:
        assert "fs" in first.hgvs_p or first.hgvs_p.endswith("*")


def test_genomic_and_notation_agree() -> None:
    for build, pos in (("GRCh37", 25398284), ("GRCh38", 25245350)):
        ann = annotate_allele("12", pos, "C", "T", build)  # type: ignore[arg-type]
        assert ann is not None
        assert ann.hgvs_c is not None
        assert annotation_from_notation(f"KRAS:{ann.hgvs_c}").hgvs_p == ann.hgvs_p == "p.G12D"


@pytest.mark.parametrize(("text", "gene", "hgvs_p"), [
    ("KRAS G12D", "KRAS", "p.G12D"),
    ("KRAS p.G12D", "KRAS", "p.G12D"),
    ("MTOR:F2108L", "MTOR", "p.F2108L"),
    ("mtor:p.f2108l", "MTOR", "p.F2108L"),
    ("TSC2 Q1178*", "TSC2", "p.Q1178*"),
    ("NP_004949.1:p.F2108L", "MTOR", "p.F2108L"),
    ("NP_004976.2:p.G12C", "KRAS", "p.G12C"),
])
def test_shorthand_and_protein_accessions(text: str, gene: str, hgvs_p: str) -> None:
    ann = annotation_from_notation(text)
    assert (ann.gene, ann.hgvs_p) == (gene, hgvs_p)


@pytest.mark.parametrize("text", ["KRAS G12", "KRAS 12D", "BRAF V600E", "NP_000000.1:p.F2108L"])
def test_shorthand_still_refuses_what_it_cannot_read(text: str) -> None:
    with pytest.raises(InputError):
        annotation_from_notation(text)
