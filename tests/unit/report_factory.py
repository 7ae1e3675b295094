"""A realistic multi-region ``Report`` for renderer tests (no pipeline needed).

Tumour with a normal ``N`` and three regions: ``R1``, ``R2`` (carries the private MTOR FRB
mutation F2108L → rapalog-resistant subclone) and ``R3`` (hypoxic). TSC2 Q1178* is truncal;
PIK3CA E545K is shared; KRAS codon 12 is a two-ALT record (G12D private-ish, G12V
undetermined) so Number=A fields are exercised; an MTOR intronic SNV has no protein change.
Coordinates are GRCh38 and match ``fixtures/report_multiregion/input.vcf``.
"""

from __future__ import annotations

from typing import Any

from mtorvar.models.prediction import ClassCall, Prediction
from mtorvar.models.report import (
    InputInfo,
    KnowledgeBaseInfo,
    MatchOut,
    RegionOut,
    Report,
    SampleInfo,
    ToolInfo,
    TumorClassCall,
    TumorOut,
    VariantOut,
)
from mtorvar.models.variant import Observation

SAMPLES = ("N", "R1", "R2", "R3")
TUMOUR_SAMPLES = ("R1", "R2", "R3")


def _obs(state: str, depth: int | None = None, alt: int | None = None) -> Observation:
    vaf = round(alt / depth, 4) if depth and alt is not None else None
    evidence = "reads" if depth is not None else None
    return Observation(state=state, evidence=evidence, depth=depth, alt_reads=alt, vaf=vaf)


def _preds(**calls: str) -> dict[str, Prediction]:
    return {cls: Prediction(call=call) for cls, call in calls.items()}


MTOR_F2108L = MatchOut(
    rule_id="MTOR-FRB-F2108",
    title="MTOR F2108L in the FRB domain",
    mechanism="F2108 contacts rapamycin in the FRB pocket; Leu abolishes FKBP12-rapalog binding",
    specificity="exact",
    predictions=_preds(rapalog="resistant", torki="sensitive", dual_pi3k_mtor="sensitive",
                       rapalink="sensitive"),
    evidence_level="C",
    citations=("PMID:25295501", "PMID:27279227"),
)
TSC2_LOF = MatchOut(
    rule_id="TSC2-LOF",
    title="TSC2 loss of function",
    mechanism="Loss of the TSC complex GAP activity leaves RHEB-GTP high and mTORC1 on",
    specificity="gene",
    predictions=_preds(rapalog="sensitive", torki="sensitive", dual_pi3k_mtor="sensitive",
                       rapalink="sensitive"),
    evidence_level="B",
    citations=("PMID:22923433",),
    notes=("strengthened when biallelic",),
)
PIK3CA_HELICAL = MatchOut(
    rule_id="PIK3CA-HELICAL-E545",
    title="PIK3CA helical hotspot E545",
    mechanism="Helical-domain hotspot relieves p85 inhibition; PI3K signalling bypasses rapalog",
    specificity="codon",
    predictions=_preds(rapalog="reduced", torki="sensitive", dual_pi3k_mtor="sensitive",
                       rapalink="unknown"),
    evidence_level="D",
    citations=("PMID:21216929",),
)
KRAS_G12 = MatchOut(
    rule_id="KRAS-G12",
    title="KRAS codon 12 activating",
    mechanism="RAS-MAPK activation maintains growth despite mTORC1 inhibition",
    specificity="codon",
    predictions=_preds(rapalog="reduced", torki="reduced", dual_pi3k_mtor="reduced",
                       rapalink="unknown"),
    evidence_level="D",
    citations=("PMID:18794803",),
)


def _variants() -> tuple[VariantOut, ...]:
    mtor = VariantOut(
        id="1:11127039:A>G", chrom="1", pos=11127039, ref="A", alt="G", gene="MTOR",
        transcript="NM_004958.4", hgvs_c="c.6322T>C", hgvs_p="p.F2108L", hgvs_p3="p.Phe2108Leu",
        consequence=("missense_variant",), variant_class="missense", domains=("FRB",),
        protein_start=2108, protein_end=2108,
        observations={"N": _obs("absent", 80, 0), "R1": _obs("absent", 150, 0),
                      "R2": _obs("present", 120, 30), "R3": _obs("absent", 140, 1)},
        clonality="private", matches=(MTOR_F2108L,), predictions=MTOR_F2108L.predictions,
    )
    intronic = VariantOut(
        id="1:11150000:T>C", chrom="1", pos=11150000, ref="T", alt="C", gene="MTOR",
        transcript="NM_004958.4", hgvs_c="c.4570+126A>G", consequence=("intron_variant",),
        variant_class="intronic",
        observations={s: _obs("present", 100, 45) for s in SAMPLES},
        clonality="truncal", warnings=("germline-like: present in the normal",),
    )
    pik3ca = VariantOut(
        id="3:179218303:G>A", chrom="3", pos=179218303, ref="G", alt="A", gene="PIK3CA",
        transcript="NM_006218.4", hgvs_c="c.1633G>A", hgvs_p="p.E545K", hgvs_p3="p.Glu545Lys",
        consequence=("missense_variant",), variant_class="missense", domains=("helical",),
        observations={"N": _obs("absent", 90, 0), "R1": _obs("present", 110, 25),
                      "R2": _obs("present", 100, 20), "R3": _obs("absent", 130, 0)},
        clonality="shared", matches=(PIK3CA_HELICAL,), predictions=PIK3CA_HELICAL.predictions,
    )
    kras_d = VariantOut(
        id="12:25245350:C>T", chrom="12", pos=25245350, ref="C", alt="T", gene="KRAS",
        transcript="NM_004985.5", hgvs_c="c.35G>A", hgvs_p="p.G12D", hgvs_p3="p.Gly12Asp",
        consequence=("missense_variant",), variant_class="missense", domains=("P-loop",),
        observations={"N": _obs("absent", 70, 0), "R1": _obs("present", 90, 12),
                      "R2": _obs("not_assessed", 8, 0), "R3": _obs("absent", 120, 0)},
        clonality="private", matches=(KRAS_G12,), predictions=KRAS_G12.predictions,
    )
    kras_v = VariantOut(
        id="12:25245350:C>A", chrom="12", pos=25245350, ref="C", alt="A", gene="KRAS",
        transcript="NM_004985.5", hgvs_c="c.35G>T", hgvs_p="p.G12V", hgvs_p3="p.Gly12Val",
        consequence=("missense_variant",), variant_class="missense", domains=("P-loop",),
        observations={"N": _obs("absent", 70, 0), "R1": _obs("not_assessed", 90, 1),
                      "R2": _obs("not_assessed", 8, 0), "R3": _obs("present", 120, 6)},
        clonality="undetermined", matches=(KRAS_G12,), predictions=KRAS_G12.predictions,
    )
    tsc2 = VariantOut(
        id="16:2080299:C>T", chrom="16", pos=2080299, ref="C", alt="T", gene="TSC2",
        transcript="NM_000548.5", hgvs_c="c.3532C>T", hgvs_p="p.Q1178*", hgvs_p3="p.Gln1178Ter",
        consequence=("stop_gained",), variant_class="nonsense", domains=(),
        observations={"N": _obs("absent", 60, 0), "R1": _obs("present", 100, 48),
                      "R2": _obs("present", 110, 50), "R3": _obs("present", 95, 40)},
        clonality="truncal", matches=(TSC2_LOF,), predictions=TSC2_LOF.predictions,
    )
    return (mtor, intronic, pik3ca, kras_d, kras_v, tsc2)


def _region(sample: str, calls: dict[str, tuple[str, tuple[str, ...]]],
            uncertain: tuple[str, ...] = (), phenotype: tuple[str, ...] = ()) -> RegionOut:
    preds = {cls: ClassCall(call=call, because=because, uncertain_because=uncertain)
             for cls, (call, because) in calls.items()}
    return RegionOut(sample=sample, region=sample, predictions=preds,
                     phenotype_matches=phenotype, second_hit={"TSC2": "unknown"})


def _regions() -> tuple[RegionOut, ...]:
    tsc = ("TSC2-LOF",)
    r1 = _region("R1", {"rapalog": ("reduced", (*tsc, "PIK3CA-HELICAL-E545", "KRAS-G12")),
                        "torki": ("reduced", ("KRAS-G12",)),
                        "dual_pi3k_mtor": ("reduced", ("KRAS-G12",)),
                        "rapalink": ("sensitive", tsc)})
    r2 = _region("R2", {"rapalog": ("resistant", ("MTOR-FRB-F2108",)),
                        "torki": ("sensitive", (*tsc, "MTOR-FRB-F2108")),
                        "dual_pi3k_mtor": ("sensitive", tsc),
                        "rapalink": ("sensitive", tsc)},
                 uncertain=("12:25245350:C>T", "12:25245350:C>A"))
    r3 = _region("R3", {"rapalog": ("reduced", ("HYPOXIA-REGION",)),
                        "torki": ("reduced", ("KRAS-G12",)),
                        "dual_pi3k_mtor": ("sensitive", tsc),
                        "rapalink": ("sensitive", tsc)},
                 phenotype=("HYPOXIA-REGION",))
    return (r1, r2, r3)


def _tumor(regions: tuple[RegionOut, ...]) -> TumorOut:
    preds: dict[str, TumorClassCall] = {}
    for cls in ("rapalog", "torki", "dual_pi3k_mtor", "rapalink"):
        by_sample = {r.sample: r.predictions[cls].call for r in regions}
        calls = set(by_sample.values())
        call = calls.pop() if len(calls) == 1 else "heterogeneous"
        preds[cls] = TumorClassCall(call=call, by_sample=by_sample)
    effective = tuple(c for c, p in preds.items() if p.call == "sensitive")
    return TumorOut(predictions=preds, effective_in_all_samples=effective,
                    resistant_subclones=("1:11127039:A>G",))


def make_report(**overrides: Any) -> Report:
    """The multi-region report; keyword arguments replace top-level fields."""
    samples = (
        SampleInfo(name="N", role="normal", region="blood"),
        SampleInfo(name="R1", region="R1", purity=0.7),
        SampleInfo(name="R2", region="R2", purity=0.6),
        SampleInfo(name="R3", region="R3", purity=0.5, phenotypes={"hypoxia": "yes"}),
    )
    regions = _regions()
    fields: dict[str, Any] = {
        "tool": ToolInfo(version="0.1.0"),
        "created": "2024-01-01T00:00:00Z",
        "command_line": ("mtorvar", "annotate", "input.vcf", "-o", "out.json"),
        "parameters": {"min_alt_reads": 3, "min_vaf": 0.02, "pass_only": False},
        "knowledge_base": KnowledgeBaseInfo(version="2024.1", sha256="ab" * 32),
        "input": InputInfo(path="input.vcf", sha256="cd" * 32, genome_build="GRCh38",
                           build_evidence="##contig lengths match GRCh38"),
        "samples": samples,
        "variants": _variants(),
        "regions": regions,
        "tumor": _tumor(regions),
        "warnings": ("R2: low depth at KRAS codon 12",),
    }
    fields.update(overrides)
    return Report(**fields)


def empty_report() -> Report:
    """A report for a VCF with no record in the five genes."""
    return make_report(samples=(SampleInfo(name="SITES"),), variants=(), regions=(),
                       tumor=TumorOut(), warnings=())
