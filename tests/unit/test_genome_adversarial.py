"""Edge cases of HGVS and VEP conventions, one test per finding, on both strands.

Alleles are built from the bundled models at named c. positions, so each case states the
transcript-level change it makes (plus strand: PIK3CA, TSC2; minus strand: MTOR, KRAS, TSC1).
"""

from __future__ import annotations

import time

import pytest

from mtorvar.genome.codons import revcomp
from mtorvar.genome.consequence import annotate_allele
from mtorvar.genome.notation import annotation_from_notation
from mtorvar.genome.sequence import bundled
from mtorvar.genome.transcripts import TranscriptModel, model_for
from mtorvar.models.base import Build
from mtorvar.models.variant import Annotation

BUILD: Build = "GRCh38"


def g_of_c(model: TranscriptModel, c: int) -> int:
    g = model.tx_to_genomic(model.cds_start + c - 1)
    assert g is not None
    return g


def replace_c(gene: str, c1: int, c2: int, alt_tx: str, build: Build = BUILD) -> Annotation:
    """Replace coding bases c1..c2 by ``alt_tx`` (mRNA orientation); empty: a deletion."""
    model = model_for(build, gene)
    low, high = sorted((g_of_c(model, c1), g_of_c(model, c2)))
    alt = alt_tx if model.strand > 0 else revcomp(alt_tx)
    if not alt:
        low -= 1
    ref = bundled(build).fetch(model.contig, low, high)
    assert ref
    ann = annotate_allele(model.contig, low, ref, alt or ref[0], build)
    assert ann is not None
    return ann


def cds(gene: str) -> str:
    model = model_for(BUILD, gene)
    return model.cdna[model.cds_start - 1 : model.cds_end]


@pytest.mark.parametrize("gene", ["PIK3CA", "KRAS"])
def test_deleting_the_last_codon_is_a_deletion_not_a_nonsense(gene: str) -> None:
    n_aa = len(model_for(BUILD, gene).protein)
    ann = replace_c(gene, 3 * n_aa - 2, 3 * n_aa, "")  # the stop codon follows unchanged
    last = model_for(BUILD, gene).protein[-1]
    assert ann.hgvs_p == f"p.{last}{n_aa}del"
    assert ann.consequence == ("inframe_deletion",)


@pytest.mark.parametrize("gene", ["PIK3CA", "KRAS"])
def test_synonymous_stop_and_stop_codon_deletion(gene: str) -> None:
    n_aa = len(model_for(BUILD, gene).protein)
    stop = cds(gene)[-3:]
    synonymous = {"TAA": "TAG", "TAG": "TAA", "TGA": "TAA"}[stop]
    ann = replace_c(gene, 3 * n_aa + 1, 3 * n_aa + 3, synonymous)
    assert ann.hgvs_p == f"p.*{n_aa + 1}="
    assert ann.consequence == ("stop_retained_variant",)
    gone = replace_c(gene, 3 * n_aa + 1, 3 * n_aa + 3, "")
    assert gone.hgvs_p is not None
    assert gone.hgvs_p.startswith(f"p.*{n_aa + 1}")
    assert "ext*" in gone.hgvs_p
    assert gone.consequence[0] == "stop_lost"
    assert gone.variant_class == "stop_lost"


def test_mnv_over_two_codons_and_one_synonymous_codon() -> None:
    # PIK3CA c.1633_1636 GAGC (E545 GAG, Q546 CAG): GAGC>AAGA changes both codons.
    assert cds("PIK3CA")[1632:1638] == "GAGCAG"
    both = replace_c("PIK3CA", 1633, 1636, "AAGA")
    assert (both.hgvs_c, both.hgvs_p) == ("c.1633_1636delinsAAGA", "p.E545_Q546delinsKK")
    assert both.consequence == ("missense_variant",)
    # c.1635G>A is synonymous (GAG>GAA): only Q546K is named, as VEP clips unchanged residues.
    one = replace_c("PIK3CA", 1635, 1636, "AA")
    assert one.hgvs_p == "p.Q546K"
    # KRAS (minus strand) c.35_38 GTGG>ATGA: G12D and G13D together.
    assert cds("KRAS")[33:39] == "GGTGGC"
    kras = replace_c("KRAS", 35, 38, "ATGA")
    assert kras.hgvs_p == "p.G12_G13delinsDD"


@pytest.mark.parametrize("gene", ["TSC2", "MTOR", "TSC1"])
def test_splice_site_snvs_are_not_intron_variants(gene: str) -> None:
    """VEP: intron_variant only from +3/-3 on; the 2-bp sites are splice donor/acceptor only."""
    model = model_for(BUILD, gene)
    exon = model.exons[3]
    end = exon.g_end if model.strand > 0 else exon.g_start
    for offset, terms in ((1, ("splice_donor_variant",)), (2, ("splice_donor_variant",)),
                          (3, ("splice_region_variant", "intron_variant"))):
        pos = end + model.strand * offset
        ref = bundled(BUILD).fetch(model.contig, pos, pos) or "A"
        ann = annotate_allele(model.contig, pos, ref, "C" if ref != "C" else "G", BUILD)
        assert ann is not None
        assert ann.consequence == terms, (offset, ann.consequence)


@pytest.mark.parametrize("gene", ["TSC2", "MTOR", "TSC1"])
def test_deletion_across_exon_intron_boundary_warns(gene: str) -> None:
    model = model_for(BUILD, gene)
    seq = bundled(BUILD)
    for exon in model.exons[2:10]:
        end = exon.g_end if model.strand > 0 else exon.g_start
        low = end - 1 if model.strand > 0 else end - 2  # 2 exonic + 2 intronic bases
        ref = seq.fetch(model.contig, low - 1, low + 4)
        assert ref
        if ref[0] != ref[4] and ref[1] != ref[5]:  # no equivalent placement: it cannot shift
            break
    assert ref
    ann = annotate_allele(model.contig, low - 1, ref[:5], ref[0], BUILD)
    assert ann is not None
    assert ann.hgvs_p is None
    assert "splice_donor_variant" in ann.consequence
    assert "coding_sequence_variant" in ann.consequence
    assert any("exon/intron boundary" in w for w in ann.warnings)


def test_protein_does_not_depend_on_where_the_indel_is_written() -> None:
    # MTOR c.7631_7634del shifts 3' across the exon end (named c.7632_7634+1del, as VEP's
    # genomic shift does); both spellings are the same genomic change and the same protein.
    first = annotation_from_notation("MTOR:c.7631_7634del")
    again = annotation_from_notation(f"MTOR:{first.hgvs_c}")
    assert first.hgvs_c == "c.7632_7634+1del"
    assert first.hgvs_p == again.hgvs_p == "p.W2545Afs*22"


@pytest.mark.parametrize("build", ["GRCh37", "GRCh38"])
def test_pik3ca_exon_end_repeat_needs_no_intron(build: Build) -> None:
    # PIK3CA exon 20 ends c.2932_2936 GAGAG; deleting GA anywhere in it: first change R979.
    ann = replace_c("PIK3CA", 2932, 2933, "", build)
    assert ann.hgvs_p is not None
    assert ann.protein_start == 979
    assert ann.consequence[0] == "frameshift_variant"
    assert ann.hgvs_c == "c.2935_2936del"
    assert any("exon end" in w for w in ann.warnings)


def test_frameshift_whose_first_new_codon_is_a_stop() -> None:
    # PIK3CA c.1631_1632insG (GATK regression set): the first changed codon becomes a stop;
    # named as VEP does, as a nonsense change, with both frameshift and stop_gained terms.
    ann = annotate_allele("chr3", 179218301, "C", "CG", BUILD)
    assert ann is not None
    assert ann.hgvs_p is not None
    assert ann.hgvs_p.endswith("*")
    assert "fs" not in ann.hgvs_p
    assert ann.consequence[:2] == ("stop_gained", "frameshift_variant")


def test_lowercase_ref_and_shared_prefix_suffix_are_trimmed() -> None:
    model = model_for(BUILD, "PIK3CA")
    g = g_of_c(model, 1633)
    context = bundled(BUILD).fetch("3", g - 1, g + 1)
    assert context == "TGA"
    lower = annotate_allele("3", g - 1, "tga", "taa", BUILD)  # REF GCA-style MNV: one SNV
    assert lower is not None
    assert (lower.hgvs_c, lower.hgvs_p) == ("c.1633G>A", "p.E545K")
    assert not lower.warnings


def test_ref_n_is_not_annotated_but_reported() -> None:
    ann = annotate_allele("3", g_of_c(model_for(BUILD, "PIK3CA"), 1633), "N", "A", BUILD)
    assert ann is not None
    assert ann.hgvs_p is None
    assert any("not plain" in w for w in ann.warnings)


def test_annotate_allele_stays_fast() -> None:
    g = g_of_c(model_for(BUILD, "PIK3CA"), 1633)
    annotate_allele("3", g, "G", "A", BUILD)  # warm the caches
    t0 = time.perf_counter()
    for _ in range(200):
        annotate_allele("3", g, "G", "A", BUILD)
        annotate_allele("3", g - 1, "TG", "T", BUILD)
    per_call = (time.perf_counter() - t0) / 400
    assert per_call < 0.002  # ~0.2 ms on the reference machine; generous for CI noise
