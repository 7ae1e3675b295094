"""Consequence types on a plus-strand (PIK3CA, TSC2) and minus-strand (MTOR, KRAS, TSC1) gene,
on both builds. Alleles are built from the bundled model so each case names its c. position."""

from __future__ import annotations

import pytest

from mtorvar.genome.codons import CODON_TABLE, revcomp
from mtorvar.genome.consequence import annotate_allele
from mtorvar.genome.sequence import bundled, ref_matches
from mtorvar.genome.transcripts import TranscriptModel, gene_windows, model_for
from mtorvar.models.base import Build
from mtorvar.models.variant import Annotation

BUILDS: tuple[Build, ...] = ("GRCh37", "GRCh38")
GENE_BUILDS = [(g, b) for g in ("PIK3CA", "TSC2", "MTOR", "KRAS", "TSC1") for b in BUILDS]


def c_to_g(model: TranscriptModel, c: int, offset: int = 0) -> int:
    g = model.tx_to_genomic(model.cds_start + c - 1)
    assert g is not None
    return g + model.strand * offset


def plus(model: TranscriptModel, bases: str) -> str:
    return bases if model.strand > 0 else revcomp(bases)


def snv_at_c(model: TranscriptModel, build: Build, c: int, alt_tx: str) -> Annotation | None:
    g = c_to_g(model, c)
    ref_tx = model.cdna[model.cds_start + c - 2]
    return annotate_allele(model.contig, g, plus(model, ref_tx), plus(model, alt_tx), build)


def codon_alts(model: TranscriptModel, codon: int) -> dict[str, tuple[int, str]]:
    """One SNV (c. position, alt base) per resulting amino acid for a codon."""
    cds = model.cdna[model.cds_start - 1 : model.cds_end]
    triplet = cds[3 * codon - 3 : 3 * codon]
    out: dict[str, tuple[int, str]] = {}
    for i in range(3):
        for base in "ACGT":
            if base != triplet[i]:
                aa = CODON_TABLE[triplet[:i] + base + triplet[i + 1 :]]
                out.setdefault(aa, (3 * codon - 2 + i, base))
    return out


@pytest.mark.parametrize(("gene", "build"), GENE_BUILDS)
def test_missense_synonymous_nonsense(gene: str, build: Build) -> None:
    model = model_for(build, gene)
    codon = 60 if gene == "KRAS" else 100
    ref_aa = model.protein[codon - 1]
    alts = codon_alts(model, codon)
    missense = next(aa for aa in alts if aa not in (ref_aa, "*"))
    ann = snv_at_c(model, build, *alts[missense])
    assert ann is not None
    assert ann.gene == gene
    assert ann.hgvs_p == f"p.{ref_aa}{codon}{missense}"
    assert ann.consequence == ("missense_variant",)
    assert ann.variant_class == "missense"
    assert ann.ref_aa == ref_aa
    assert ann.alt_aa == missense
    assert ann.protein_start == codon
    if ref_aa in alts:
        syn = snv_at_c(model, build, *alts[ref_aa])
        assert syn is not None
        assert syn.hgvs_p == f"p.{ref_aa}{codon}="
        assert syn.consequence == ("synonymous_variant",)
    stop_codon = next((c for c in range(2, 200) if "*" in codon_alts(model, c)), None)
    assert stop_codon is not None
    stop = snv_at_c(model, build, *codon_alts(model, stop_codon)["*"])
    assert stop is not None
    assert stop.hgvs_p == f"p.{model.protein[stop_codon - 1]}{stop_codon}*"
    assert stop.consequence[0] == "stop_gained"
    assert stop.variant_class == "nonsense"


@pytest.mark.parametrize(("gene", "build"), GENE_BUILDS)
def test_start_and_stop_codons(gene: str, build: Build) -> None:
    model = model_for(build, gene)
    start = snv_at_c(model, build, 2, "C")  # ATG -> ACG
    assert start is not None
    assert start.hgvs_p == "p.M1?"
    assert start.consequence == ("start_lost",)
    assert start.hgvs_p3 == "p.Met1?"
    n_aa = len(model.protein)
    stop_c = 3 * n_aa + 1  # first base of the stop codon (T of TAA/TAG/TGA)
    lost = snv_at_c(model, build, stop_c, "C")  # T.. -> C..: CAA/CAG = Q, CGA = R
    assert lost is not None
    assert lost.consequence[0] == "stop_lost"
    assert lost.hgvs_p is not None
    assert lost.hgvs_p.startswith(f"p.*{n_aa + 1}")
    assert "ext*" in lost.hgvs_p
    assert lost.variant_class == "stop_lost"


@pytest.mark.parametrize(("gene", "build"), GENE_BUILDS)
def test_frameshift_and_inframe_indels(gene: str, build: Build) -> None:
    model = model_for(build, gene)
    codon = 50
    c = 3 * codon - 1  # middle base of codon 50
    g = c_to_g(model, c)
    ref_base = bundled(build).fetch(model.contig, g, g)
    assert ref_base
    # Deleting one base: frameshift named at or after codon 50, with a counted new stop.
    if model.strand > 0:
        anchor = bundled(build).fetch(model.contig, g - 1, g)
        ann = annotate_allele(model.contig, g - 1, anchor or "", (anchor or "N")[0], build)
    else:
        anchor = bundled(build).fetch(model.contig, g, g + 1)
        ann = annotate_allele(model.contig, g, anchor or "", (anchor or "N")[0], build)
    assert ann is not None
    assert ann.hgvs_p is not None
    assert "frameshift_variant" in ann.consequence or "stop_gained" in ann.consequence
    assert ann.protein_start is not None
    assert ann.protein_start >= codon
    # Deleting a whole codon (codon 50's three bases) is in frame.
    low = min(c_to_g(model, 3 * codon - 2), c_to_g(model, 3 * codon))
    seq = bundled(build).fetch(model.contig, low - 1, low + 2)
    assert seq
    inframe = annotate_allele(model.contig, low - 1, seq, seq[0], build)
    assert inframe is not None
    assert inframe.consequence[0] in ("inframe_deletion", "protein_altering_variant")
    assert inframe.hgvs_p is not None
    assert ("del" in inframe.hgvs_p)


def test_duplication_and_insertion_naming() -> None:
    # PIK3CA GRCh37 c.1633_1635 = GAG (E545): inserting GAG after E545 is p.E545dup.
    model = model_for("GRCh37", "PIK3CA")
    g = c_to_g(model, 1635)
    base = bundled("GRCh37").fetch("3", g, g)
    ann = annotate_allele("3", g, base or "", (base or "") + "GAG", "GRCh37")
    assert ann is not None
    assert ann.hgvs_p == "p.E545dup"
    assert ann.hgvs_c == "c.1633_1635dup"
    assert ann.consequence == ("inframe_insertion",)
    assert ann.variant_class == "inframe_insertion"


def test_vep_delins_example_both_builds() -> None:
    for build, pos in (("GRCh37", 178928219), ("GRCh38", 179210431)):
        ann = annotate_allele("chr3", pos, "G", "GATA", build)  # type: ignore[arg-type]
        assert ann is not None
        assert (ann.hgvs_c, ann.hgvs_p) == ("c.1406_1407insTAA", "p.E469delinsDK")
        assert ann.hgvs_p3 == "p.Glu469delinsAspLys"
        assert ann.normalised == f"3:{pos + 1}:A>ATAA"  # shifted one base 3'
        assert ann.variant_class == "inframe_delins"


@pytest.mark.parametrize(("gene", "build"), GENE_BUILDS)
def test_splice_intron_utr_flanks(gene: str, build: Build) -> None:
    model = model_for(build, gene)
    seq = bundled(build)
    # Exon 2's 3' end in transcript order: +1/+2 donor, +5 region, first exon base region.
    ex = model.exons[2]
    end_g = ex.g_end if model.strand > 0 else ex.g_start
    cases = {1: "splice_donor_variant", 2: "splice_donor_variant", 5: "splice_region_variant",
             30: "intron_variant"}
    for offset, term in cases.items():
        pos = end_g + model.strand * offset
        ref = seq.fetch(model.contig, pos, pos) or "A"
        alt = "C" if ref != "C" else "G"
        ann = annotate_allele(model.contig, pos, ref, alt, build)
        assert ann is not None
        assert ann.consequence[0] == term, (offset, ann)
        assert ann.hgvs_c is not None
        assert f"+{offset}" in ann.hgvs_c
        assert ann.hgvs_p is None
        assert ann.intron == f"3/{model.n_exons - 1}"
    nxt = model.exons[3]
    acc_g = nxt.g_start if model.strand > 0 else nxt.g_end
    pos = acc_g - model.strand * 2
    ref = seq.fetch(model.contig, pos, pos) or "A"
    ann = annotate_allele(model.contig, pos, ref, "C" if ref != "C" else "G", build)
    assert ann is not None
    assert ann.consequence[0] == "splice_acceptor_variant"
    assert ann.variant_class == "splice"
    assert ann.hgvs_c
    assert ann.hgvs_c.find("-2") > 0
    # 5' UTR (c.-5), 3' UTR (c.*10), upstream and downstream.
    for c_text, term in (("-5", "5_prime_UTR_variant"), ("*10", "3_prime_UTR_variant")):
        g = model.tx_to_genomic(model.tx_of_c(c_text))
        assert g is not None
        ref = seq.fetch(model.contig, g, g) or "A"
        ann = annotate_allele(model.contig, g, ref, "C" if ref != "C" else "G", build)
        assert ann is not None
        assert ann.consequence == (term,), ann
        assert ann.hgvs_c is not None
        assert ann.hgvs_c.startswith(f"c.{c_text}")
    low, high = model.mane_span
    five, three = (low - 1000, high + 1000) if model.strand > 0 else (high + 1000, low - 1000)
    up = annotate_allele(model.contig, five, "A", "C", build)
    down = annotate_allele(model.contig, three, "A", "C", build)
    assert up is not None
    assert up.consequence == ("upstream_gene_variant",)
    assert down is not None
    assert down.consequence == ("downstream_gene_variant",)
    assert annotate_allele(model.contig, high + 6000 if model.strand > 0 else low - 6000,
                           "A", "C", build) is None


def test_mane_span_decides_utr_for_tsc2_and_pik3ca() -> None:
    tsc2 = model_for("GRCh38", "TSC2")
    ann = annotate_allele("16", 2089000, "A", "C", "GRCh38")  # past NM_000548.3, inside MANE
    assert ann is not None
    assert ann.consequence == ("3_prime_UTR_variant",)
    assert tsc2.span[1] < 2089000 <= tsc2.mane_span[1]
    pik = annotate_allele("3", 179148400, "A", "C", "GRCh38")  # MANE exon 1 extension
    assert pik is not None
    assert pik.consequence == ("5_prime_UTR_variant",)


def test_exon_end_repeat_indel_named_from_exonic_bases() -> None:
    # PIK3CA exon 20 (c.2936) ends in GAGAG; intronic bases are not bundled. Every placement
    # inside the exon gives the same mRNA, so the protein change is known: GA inserted makes
    # codon 979 AGA (R, synonymous) and changes residue 980 first. c. is placed at the exon end
    # with a warning that it might lie further 3' in the intron.
    ann = annotate_allele("3", 178948159, "T", "TGA", "GRCh37")
    assert ann is not None
    assert ann.hgvs_p == "p.F980Gfs*11"
    assert ann.hgvs_c == "c.2934_2935dup"
    assert ann.consequence[0] == "frameshift_variant"
    assert any("exon end" in w for w in ann.warnings)
    deletion = annotate_allele("3", 178948159, "TGA", "T", "GRCh37")
    assert deletion is not None
    assert deletion.consequence[0] == "frameshift_variant"
    assert deletion.hgvs_p is not None
    assert deletion.protein_start == 979


def test_ref_mismatch_warns_and_ref_matches_helper() -> None:
    assert ref_matches("GRCh37", "12", 25398284, "C") is True
    assert ref_matches("GRCh37", "12", 25398284, "G") is False
    assert ref_matches("GRCh37", "3", 178900000, "A") is None  # PIK3CA intron: not bundled
    ann = annotate_allele("12", 25398284, "G", "T", "GRCh37")
    assert ann is not None
    assert any("does not match" in w for w in ann.warnings)


def test_contig_names_and_windows() -> None:
    from mtorvar.genome.contigs import canonical_contig

    assert [canonical_contig(x) for x in ("chr1", "1", "NC_000001.10", "NC_000001.11", "chrM",
                                          "MT", "chrX", "NC_000023.11", "chrUn_x", "GL000192.1")] \
        == ["1", "1", "1", "1", "MT", "MT", "X", "X", None, None]
    windows = gene_windows(None)
    assert len(windows) == 10
    assert len(gene_windows("GRCh38")) == 5
    kras = next(w for w in gene_windows("GRCh37") if w.gene == "KRAS")
    assert kras.contig == "12"
    assert kras.start <= 25398284 <= kras.end
