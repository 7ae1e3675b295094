"""Helpers for the heterogeneity tests: a tiny fixture-VCF parser and a fake rule engine.

The parser reads only what the hand-written ``fixtures/het_*`` VCFs use (GT, AD, DP, AF) so
the heterogeneity stage can be tested without the reader/normaliser stages; a separate test
checks the real reader agrees when it is available. The fake engine stands in for
``mtorvar.engine.match`` with a handful of rules whose calls are fixed here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from mtorvar.engine.aggregate import VariantFacts, aggregate
from mtorvar.engine.ccf import add_ccf, ccf_warnings, second_hits_by_sample
from mtorvar.engine.observe import ObserveParams, VariantObservations, observe_allele
from mtorvar.engine.samples import resolve_samples
from mtorvar.io.samplesheet import CopyNumber, SampleSheetRow
from mtorvar.models.base import DRUG_CLASSES, DrugClass
from mtorvar.models.prediction import ClassCall, Prediction, RuleMatch
from mtorvar.models.report import RegionOut, SampleInfo, TumorOut
from mtorvar.models.variant import Allele, AlleleCall, Annotation
from mtorvar.models.vcf import VcfHeader

# --- fixture VCF parsing --------------------------------------------------------------------


def _sample_call(fmt: list[str], value: str, allele_index: int) -> AlleleCall:
    fields = dict(zip(fmt, value.split(":"), strict=False))
    gt = fields.get("GT", ".")
    alleles = [a for a in gt.replace("|", "/").split("/") if a != "."]
    carries = None if not alleles else str(allele_index) in alleles
    alt = depth = None
    vaf = None
    source = None
    if fields.get("AD", ".") != ".":
        counts = [int(x) for x in fields["AD"].split(",")]
        alt, depth, source = counts[allele_index], sum(counts), "AD"
    elif fields.get("DP", ".") != ".":
        depth, source = int(fields["DP"]), "DP"
    if fields.get("AF", ".") != ".":
        vaf = float(fields["AF"].split(",")[allele_index - 1])
    return AlleleCall(carries=carries, alt_reads=alt, depth=depth, vaf=vaf, depth_source=source)


def read_fixture_vcf(path: Path) -> tuple[VcfHeader, list[Allele]]:
    meta: dict[str, str] = {}
    samples: tuple[str, ...] = ()
    alleles: list[Allele] = []
    for record_no, line in enumerate(path.read_text().splitlines(), start=1):
        if line.startswith("##"):
            key, _, value = line[2:].partition("=")
            if key in ("normal_sample", "tumor_sample"):
                meta[key] = value
            continue
        if line.startswith("#CHROM"):
            samples = tuple(line.split("\t")[9:])
            continue
        cols = line.split("\t")
        chrom, pos, vid, ref, alts, _qual, filt = cols[:7]
        fmt = cols[8].split(":") if len(cols) > 8 else []
        filters = () if filt == "." else tuple(filt.split(";"))
        for index, alt in enumerate(alts.split(","), start=1):
            calls = tuple(_sample_call(fmt, v, index) for v in cols[9:])
            alleles.append(Allele(
                chrom=chrom, contig=chrom.removeprefix("chr"), pos=int(pos), ref=ref, alt=alt,
                allele_index=index, id=None if vid == "." else vid, filters=filters,
                record_no=record_no, calls=calls))
    return VcfHeader(path=str(path), samples=samples, meta=meta), alleles


# --- annotations of the fixture variants (GRCh38 unless noted; checked against refdata) -----

ANNOTATIONS: dict[tuple[str, int, str, str], Annotation] = {
    ("1", 11127039, "A", "G"): Annotation(
        gene="MTOR", transcript="NM_004958.4", hgvs_c="c.6322T>C", hgvs_p="p.F2108L",
        variant_class="missense", domains=("FRB",), protein_start=2108, protein_end=2108),
    ("1", 11127037, "G", "A"): Annotation(
        gene="MTOR", transcript="NM_004958.4", hgvs_c="c.6324C>T", hgvs_p="p.F2108=",
        variant_class="synonymous", protein_start=2108, protein_end=2108),
    ("16", 2080299, "C", "T"): Annotation(
        gene="TSC2", transcript="NM_000548.5", hgvs_c="c.3532C>T", hgvs_p="p.Q1178*",
        variant_class="nonsense", protein_start=1178, protein_end=1178),
    ("16", 2080341, "C", "T"): Annotation(
        gene="TSC2", transcript="NM_000548.5", hgvs_c="c.3574C>T", hgvs_p="p.Q1192*",
        variant_class="nonsense", protein_start=1192, protein_end=1192),
    ("12", 25245350, "C", "T"): Annotation(
        gene="KRAS", transcript="NM_004985.5", hgvs_c="c.35G>A", hgvs_p="p.G12D",
        variant_class="missense", protein_start=12, protein_end=12),
    ("3", 179218303, "G", "A"): Annotation(
        gene="PIK3CA", transcript="NM_006218.4", hgvs_c="c.1633G>A", hgvs_p="p.E545K",
        variant_class="missense", domains=("helical",), protein_start=545, protein_end=545),
    # GRCh37 (Pam01 is hg19): KRAS c.35G>T p.G12V
    ("12", 25398284, "C", "A"): Annotation(
        gene="KRAS", transcript="NM_004985.5", hgvs_c="c.35G>T", hgvs_p="p.G12V",
        variant_class="missense", protein_start=12, protein_end=12),
}


def annotation_for(allele: Allele) -> Annotation | None:
    return ANNOTATIONS.get((allele.contig, allele.pos, allele.ref, allele.alt))


# --- a fake rule engine -----------------------------------------------------------------------

PRIORITY = ("resistant", "reduced", "sensitive", "no_effect", "unknown")


def _rule(rule_id: str, specificity: str, variant: str | None = None, **calls: str) -> RuleMatch:
    return RuleMatch(rule_id=rule_id, title=rule_id, mechanism="test", specificity=specificity,
                     predictions={c: Prediction(call=v) for c, v in calls.items()},
                     evidence_level="D", variant=variant)


def fake_match_variant(annotation: Annotation | None, key: str) -> list[RuleMatch]:
    if annotation is None:
        return []
    if annotation.hgvs_p == "p.F2108L":
        return [_rule("FAKE-MTOR-F2108L", "exact", key, rapalog="resistant", torki="sensitive",
                      dual_pi3k_mtor="sensitive", rapalink="sensitive")]
    if annotation.gene == "TSC2" and annotation.variant_class == "nonsense":
        return [_rule("FAKE-TSC2-LOF", "gene", key, rapalog="sensitive", torki="sensitive",
                      dual_pi3k_mtor="sensitive", rapalink="sensitive")]
    if annotation.gene == "KRAS" and annotation.protein_start == 12:
        return [_rule("FAKE-KRAS-G12", "codon", key, rapalog="reduced", torki="reduced",
                      dual_pi3k_mtor="reduced")]
    if annotation.variant_class == "synonymous":
        return [_rule("FAKE-SYN", "gene", key, rapalog="no_effect", torki="no_effect",
                      dual_pi3k_mtor="no_effect", rapalink="no_effect")]
    return []


class FakeEngine:
    """Phenotype rules for hypoxia and S6K1-low/4E-BP1-high; combine = worst call wins."""

    def __init__(self) -> None:
        self.sample_calls: list[tuple[dict[str, str], dict[str, str]]] = []

    def match_sample(self, present: list[tuple[Annotation, list[RuleMatch]]],
                     phenotypes: dict[str, str], second_hits: dict[str, str]) -> list[RuleMatch]:
        self.sample_calls.append((dict(phenotypes), dict(second_hits)))
        out = []
        if phenotypes.get("hypoxia") == "yes":
            out.append(_rule("FAKE-HYPOXIA", "phenotype", rapalog="reduced"))
        if phenotypes.get("ps6") == "low" and phenotypes.get("p4ebp1") == "high":
            out.append(_rule("FAKE-4EBP1-HIGH", "phenotype", rapalog="reduced"))
        if second_hits.get("TSC2") == "biallelic":
            out.append(_rule("FAKE-TSC2-BIALLELIC", "cooccurrence", rapalog="sensitive"))
        return out

    def combine(self, matches: list[RuleMatch]) -> dict[DrugClass, ClassCall]:
        out: dict[DrugClass, ClassCall] = {}
        for cls in DRUG_CLASSES:
            calls = [(m.predictions[cls].call, m.rule_id) for m in matches
                     if cls in m.predictions]
            if not calls:
                out[cls] = ClassCall(call="unknown")
                continue
            best = min(calls, key=lambda c: PRIORITY.index(c[0]))[0]
            out[cls] = ClassCall(call=best, because=tuple(r for c, r in calls if c == best))
        return out


# --- the heterogeneity stage end to end (what mtorvar.pipeline does with the real engine) ----


class HetResult:
    def __init__(self, samples: list[SampleInfo], variants: dict[str, VariantObservations], *,
                 regions: list[RegionOut], tumor: TumorOut, warnings: list[str],
                 second_hits: dict[str, dict[str, str]]) -> None:
        self.samples = samples
        self.variants = variants
        self.regions = {r.sample: r for r in regions}
        self.tumor = tumor
        self.warnings = warnings
        self.second_hits = second_hits

    def state(self, key: str, sample: str) -> str:
        return self.variants[key].observations[sample].state


def analyse(header: VcfHeader, alleles: list[Allele], *, sheet: Sequence[SampleSheetRow] = (),
            normal: str | None = None, params: ObserveParams | None = None,
            copy_number: Mapping[tuple[str, str], CopyNumber] | None = None,
            engine: FakeEngine | None = None) -> HetResult:
    samples, warnings = resolve_samples(header.samples, sheet=sheet, normal=normal,
                                        meta=header.meta)
    variants: dict[str, VariantObservations] = {}
    facts = []
    for allele in alleles:
        annotation = annotation_for(allele)
        observed = observe_allele(allele, samples, params)
        observed = add_ccf(observed, samples, annotation.gene if annotation else None,
                           copy_number)
        variants[allele.key] = observed
        warnings.extend(observed.warnings)
        facts.append(VariantFacts(id=allele.key, annotation=annotation,
                                  matches=tuple(fake_match_variant(annotation, allele.key)),
                                  observations=observed.observations))
    warnings.extend(ccf_warnings(samples, copy_number is not None))
    second_hits, _notes = second_hits_by_sample(
        samples, alleles, [f.annotation for f in facts], list(variants.values()), copy_number)
    regions, tumor = aggregate(samples, facts, engine or FakeEngine(), second_hits)
    return HetResult(samples, variants, regions=regions, tumor=tumor, warnings=warnings,
                     second_hits=second_hits)
