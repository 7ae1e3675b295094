"""Cancer-cell fractions and the TSC1/TSC2 second-hit assessment.

CCF (standard purity/copy-number correction, e.g. McGranahan et al. 2015)::

    CCF = VAF × (p × CN_t + CN_n × (1 − p)) / (p × m)

p = purity, CN_t = the tumour's total copy number at the gene (copy-number TSV; else the
rounded sample ploidy; else 2), CN_n = 2, m = multiplicity (mutated copies per cancer cell).
m = 1 unless the data say otherwise: when the 95% Wilson interval of the VAF lies wholly above
the VAF a clonal single-copy mutation would give, m = round(VAF × denominator / p), capped at
the major copy number. The 95% interval is the Wilson score interval of the VAF put through
the same (monotone) formula; point and interval are clipped to [0, 1]. No purity → no CCF
(None), never a guess.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from mtorvar.engine.observe import VariantObservations
from mtorvar.io.samplesheet import CopyNumber, ImportedCcf, mutation_key
from mtorvar.models.base import Frozen
from mtorvar.models.report import SampleInfo
from mtorvar.models.variant import Allele, AlleleCall, Annotation, Observation

NORMAL_CN = 2
LOF_CLASSES = frozenset({"nonsense", "frameshift", "splice", "start_lost"})
SECOND_HIT_GENES = ("TSC1", "TSC2")


class CcfEstimate(Frozen):
    ccf: float
    low: float
    high: float
    multiplicity: int
    total_cn: int
    note: str


def wilson_interval(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (good at small counts and near 0/1)."""
    if trials <= 0:
        return 0.0, 1.0
    phat = successes / trials
    denom = 1 + z * z / trials
    centre = (phat + z * z / (2 * trials)) / denom
    half = z * math.sqrt(phat * (1 - phat) / trials + z * z / (4 * trials * trials)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def ccf_from_vaf(vaf: float, purity: float, total_cn: int, multiplicity: int = 1) -> float:
    """Unclipped CCF for a VAF (the formula in the module docstring)."""
    return vaf * (purity * total_cn + NORMAL_CN * (1 - purity)) / (purity * multiplicity)


def expected_vaf(purity: float, total_cn: int, multiplicity: int = 1, ccf: float = 1.0) -> float:
    return purity * ccf * multiplicity / (purity * total_cn + NORMAL_CN * (1 - purity))


def estimate_ccf(alt_reads: int, depth: int, purity: float, *, total_cn: int | None = None,
                 minor_cn: int | None = None, ploidy: float | None = None) -> CcfEstimate | None:
    """CCF with a 95% interval for one variant in one sample; None when depth is 0."""
    if depth <= 0 or not 0 < purity <= 1:
        return None
    cn_source = "copy number"
    if total_cn is None:
        total_cn, cn_source = (max(1, round(ploidy)), "ploidy") if ploidy else (2, "assumed 2")
    total_cn = max(total_cn, 1)  # a mutation with reads cannot sit on zero copies
    vaf = alt_reads / depth
    low_vaf, high_vaf = wilson_interval(alt_reads, depth)
    major = total_cn - minor_cn if minor_cn is not None else total_cn
    multiplicity = 1
    if major > 1 and low_vaf > expected_vaf(purity, total_cn, 1):
        raw = round(vaf * (purity * total_cn + NORMAL_CN * (1 - purity)) / purity)
        multiplicity = min(max(raw, 1), major)
    point = ccf_from_vaf(vaf, purity, total_cn, multiplicity)
    note = f"purity {purity:g}, CN {total_cn} ({cn_source}), multiplicity {multiplicity}"
    if point > 1.2:
        note += f"; raw CCF {point:.2f} > 1 (purity or copy number may be off)"
    return CcfEstimate(
        ccf=round(min(point, 1.0), 4),
        low=round(min(ccf_from_vaf(low_vaf, purity, total_cn, multiplicity), 1.0), 4),
        high=round(min(ccf_from_vaf(high_vaf, purity, total_cn, multiplicity), 1.0), 4),
        multiplicity=multiplicity, total_cn=total_cn, note=note)


def add_ccf(variant: VariantObservations, samples: Sequence[SampleInfo], gene: str | None,
            copy_number: Mapping[tuple[str, str], CopyNumber] | None = None
            ) -> VariantObservations:
    """Fill ``ccf``/``ccf_low``/``ccf_high`` of present, read-backed tumour observations."""
    updated = dict(variant.observations)
    for sample in samples:
        obs = updated.get(sample.name)
        if (sample.role != "tumor" or sample.purity is None or obs is None
                or obs.state != "present" or obs.alt_reads is None or not obs.depth):
            continue
        cn = (copy_number or {}).get((sample.name, (gene or "").upper()))
        est = estimate_ccf(obs.alt_reads, obs.depth, sample.purity,
                           total_cn=cn.total_cn if cn else None,
                           minor_cn=cn.minor_cn if cn else None, ploidy=sample.ploidy)
        if est is not None:
            updated[sample.name] = obs.model_copy(update={
                "ccf": est.ccf, "ccf_low": est.low, "ccf_high": est.high,
                "note": _join(obs.note, f"CCF: {est.note}")})
    return variant.model_copy(update={"observations": updated})


def add_imported_ccf(variant: VariantObservations, allele: Allele,
                     imported: Mapping[tuple[str, str], ImportedCcf]) -> VariantObservations:
    """Use PyClone-VI/CONIPHER values for this allele where the import has them."""
    key = mutation_key(allele.chrom, allele.pos, allele.ref, allele.alt)
    updated = dict(variant.observations)
    for name, obs in variant.observations.items():
        value = imported.get((key, name))
        if value is None:
            continue
        cluster = f", cluster {value.cluster}" if value.cluster else ""
        updated[name] = obs.model_copy(update={
            "ccf": value.ccf, "ccf_low": value.ccf_low, "ccf_high": value.ccf_high,
            "note": _join(obs.note, f"CCF from {value.source}{cluster}")})
    return variant.model_copy(update={"observations": updated})


def ccf_warnings(samples: Sequence[SampleInfo], copy_number_given: bool = False) -> list[str]:
    """Say which tumour samples get no CCF, when CCF was asked for (some purity or CN given)."""
    tumours = [s for s in samples if s.role == "tumor"]
    missing = [s.name for s in tumours if s.purity is None]
    asked = copy_number_given or len(missing) < len(tumours)
    if not asked or not missing:
        return []
    return [f"no purity for sample(s) {', '.join(missing)}: CCF not computed there "
            "(add a purity column to the sample sheet)"]


def _join(first: str | None, second: str) -> str:
    return f"{first}; {second}" if first else second


# --- TSC1/TSC2 second hit -------------------------------------------------------------------

SecondHitInput = tuple[Annotation, Observation, AlleleCall | None]


def assess_second_hits(sample: SampleInfo, present: Sequence[SecondHitInput],
                       copy_number: Mapping[tuple[str, str], CopyNumber] | None = None
                       ) -> tuple[dict[str, str], list[str]]:
    """{gene: biallelic|monoallelic|unknown} for TSC1/TSC2 with a present LoF, plus notes.

    biallelic: two different LoF variants not known to be in cis; or one LoF with loss of the
    other allele (minor_cn == 0 or total_cn == 1), or a VAF whose 95% interval lies above the
    heterozygous expectation given purity (LOH-consistent). monoallelic: one LoF with the other
    allele retained (minor_cn ≥ 1) or a VAF at the heterozygous level. unknown: otherwise.
    """
    out: dict[str, str] = {}
    notes: list[str] = []
    for gene in SECOND_HIT_GENES:
        hits = [h for h in present
                if h[0].gene == gene and h[0].variant_class in LOF_CLASSES
                and h[1].state == "present"]
        if not hits:
            continue
        cn = (copy_number or {}).get((sample.name, gene))
        status, why = _second_hit(hits, cn, sample.purity)
        out[gene] = status
        notes.append(f"{sample.name} {gene}: {status} ({why})")
    return out, notes


def _second_hit(hits: Sequence[SecondHitInput], cn: CopyNumber | None,
                purity: float | None) -> tuple[str, str]:
    if len(hits) >= 2:
        if _in_cis(hits[0][2], hits[1][2]):
            return "monoallelic", "two LoF variants phased on the same haplotype"
        return "biallelic", "two LoF variants"
    if cn is not None and (cn.minor_cn == 0 or cn.total_cn == 1):
        return "biallelic", (f"LoF with loss of heterozygosity (total CN {cn.total_cn}, "
                             f"minor CN {cn.minor_cn})")
    if cn is not None and cn.minor_cn is not None:
        return "monoallelic", f"LoF, other allele retained (minor CN {cn.minor_cn})"
    obs = hits[0][1]
    if purity is None or obs.alt_reads is None or not obs.depth:
        return "unknown", "one LoF variant; no copy number or purity to judge the other allele"
    low, high = wilson_interval(obs.alt_reads, obs.depth)
    het = expected_vaf(purity, 2, 1)
    loh = min(expected_vaf(purity, 2, 2), expected_vaf(purity, 1, 1))
    if low > het:
        return "biallelic", f"VAF {obs.vaf} above the heterozygous {het:.2f}: LOH-consistent"
    if high < loh:
        return "monoallelic", f"VAF {obs.vaf} at most heterozygous (LOH would give ≥ {loh:.2f})"
    return "unknown", f"VAF {obs.vaf} cannot tell heterozygous {het:.2f} from LOH {loh:.2f}"


def _in_cis(first: AlleleCall | None, second: AlleleCall | None) -> bool:
    if first is None or second is None or not (first.phased and second.phased):
        return False
    if first.phase_set is None or first.phase_set != second.phase_set:
        return False
    shared = set(first.allele_on_haplotype) & set(second.allele_on_haplotype)
    return bool(shared) and first.allele_on_haplotype == second.allele_on_haplotype


def second_hits_by_sample(samples: Sequence[SampleInfo], alleles: Sequence[Allele],
                          annotations: Sequence[Annotation | None],
                          observed: Sequence[VariantObservations],
                          copy_number: Mapping[tuple[str, str], CopyNumber] | None = None
                          ) -> tuple[dict[str, dict[str, str]], dict[str, list[str]]]:
    """:func:`assess_second_hits` for every tumour sample (inputs align by index): the status
    per sample and gene, and per sample the evidence behind each status."""
    out: dict[str, dict[str, str]] = {}
    notes: dict[str, list[str]] = {}
    for index, sample in enumerate(samples):
        if sample.role != "tumor":
            continue
        present: list[SecondHitInput] = [
            (ann, obs.observations[sample.name],
             allele.calls[index] if index < len(allele.calls) else None)
            for allele, ann, obs in zip(alleles, annotations, observed, strict=True)
            if ann is not None and sample.name in obs.observations]
        out[sample.name], sample_notes = assess_second_hits(sample, present, copy_number)
        notes[sample.name] = [n.removeprefix(f"{sample.name} ") for n in sample_notes]
    return out, notes
