"""The heterogeneity stage on fixtures read, annotated and matched by the real stages.

Checks the fixtures' hand-computed positions against the built-in annotator and that the real
rule engine plugs into aggregation through ``KbEngine``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mtorvar.engine.aggregate import KbEngine, VariantFacts, aggregate
from mtorvar.engine.observe import observe_allele
from mtorvar.engine.samples import resolve_samples
from mtorvar.io.samplesheet import read_samplesheet
from mtorvar.models.variant import Allele, Annotation

match = pytest.importorskip("mtorvar.engine.match")
normalise = pytest.importorskip("mtorvar.engine.normalise")
consequence = pytest.importorskip("mtorvar.genome.consequence")
loader = pytest.importorskip("mtorvar.kb.loader")
vcf_reader = pytest.importorskip("mtorvar.io.vcf_reader")
contigs = pytest.importorskip("mtorvar.genome.contigs")


def _read(path: Path, build: str) -> tuple[tuple[str, ...], dict[str, str],
                                           list[tuple[Allele, Annotation | None]]]:
    out = []
    with vcf_reader.open_vcf(str(path), windows=None) as vcf:
        for record in vcf.records:
            contig = contigs.canonical_contig(record.chrom) or record.chrom
            for allele in normalise.split_record(record, contig):
                ann = consequence.annotate_allele(contig, allele.pos, allele.ref, allele.alt,
                                                  build)
                out.append((allele, ann))
        return vcf.header.samples, dict(vcf.header.meta), out


def _facts(alleles: list, samples: list, kb: object) -> list[VariantFacts]:
    facts = []
    for allele, ann in alleles:
        observed = observe_allele(allele, samples)
        matches = tuple(match.match_variant(ann, kb)) if ann is not None else ()
        facts.append(VariantFacts(id=allele.key, annotation=ann, matches=matches,
                                  observations=observed.observations))
    return facts


def test_fixture_positions_annotate_as_intended(fixtures_dir: Path) -> None:
    _, _, alleles = _read(fixtures_dir / "het_clonality" / "clonality.vcf", "GRCh38")
    names = {a.key: (ann.gene, ann.hgvs_p) for a, ann in alleles if ann is not None}
    assert names == {
        "chr1:11127037:G>A": ("MTOR", "p.F2108="),
        "chr1:11127039:A>G": ("MTOR", "p.F2108L"),
        "chr3:179218303:G>A": ("PIK3CA", "p.E545K"),
        "chr12:25245350:C>T": ("KRAS", "p.G12D"),
        "chr16:2080299:C>T": ("TSC2", "p.Q1178*"),
    }
    _, _, pam01 = _read(fixtures_dir / "het_pam01" / "pam01_kras.grch37.vcf", "GRCh37")
    assert pam01[0][1] is not None
    assert (pam01[0][1].gene, pam01[0][1].hgvs_p) == ("KRAS", "p.G12V")


def test_resistant_subclone_with_real_rules(fixtures_dir: Path) -> None:
    case = fixtures_dir / "het_resistant_subclone"
    kb = loader.load_knowledge_base()
    names, meta, alleles = _read(case / "tumour.vcf", "GRCh38")
    samples, _ = resolve_samples(names, sheet=read_samplesheet(case / "samples.tsv"), meta=meta)
    regions, tumor = aggregate(samples, _facts(alleles, samples, kb), KbEngine(kb))
    by_sample = {r.sample: r for r in regions}
    assert by_sample["R2"].predictions["rapalog"].call == "resistant"
    assert by_sample["R1"].predictions["rapalog"].call == "sensitive"
    assert tumor.predictions["rapalog"].call == "heterogeneous"
    assert "torki" in tumor.effective_in_all_samples
    assert "rapalog" not in tumor.effective_in_all_samples
    assert tumor.resistant_subclones == ("chr1:11127039:A>G",)


def test_hypoxic_region_with_real_rules(fixtures_dir: Path) -> None:
    case = fixtures_dir / "het_phenotypes"
    kb = loader.load_knowledge_base()
    names, meta, alleles = _read(case / "tumour.vcf", "GRCh38")
    samples, _ = resolve_samples(names, sheet=read_samplesheet(case / "samples.tsv"), meta=meta)
    regions, tumor = aggregate(samples, _facts(alleles, samples, kb), KbEngine(kb))
    by_sample = {r.sample: r for r in regions}
    assert by_sample["R1"].predictions["rapalog"].call == "sensitive"
    assert by_sample["R2"].phenotype_matches  # hypoxia rule fired
    assert by_sample["R2"].predictions["rapalog"].call != "sensitive"
    assert by_sample["R3"].phenotype_matches  # S6K1-low/4E-BP1-high
    assert by_sample["R3"].predictions["rapalog"].call != "sensitive"
    assert tumor.predictions["rapalog"].call == "heterogeneous"


def test_pam01_kras_truncal_with_real_rules(fixtures_dir: Path) -> None:
    kb = loader.load_knowledge_base()
    names, meta, alleles = _read(fixtures_dir / "het_pam01" / "pam01_kras.grch37.vcf",
                                 "GRCh37")
    samples, _ = resolve_samples(names, normal="Pam01N3", meta=meta)
    assert observe_allele(alleles[0][0], samples).clonality == "truncal"
    regions, tumor = aggregate(samples, _facts(alleles, samples, kb), KbEngine(kb))
    assert len(regions) == 6
    assert tumor.predictions["rapalog"].call in ("reduced", "resistant")
