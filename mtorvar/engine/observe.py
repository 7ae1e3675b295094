"""Per-sample state of each variant and its clonality across tumour samples (DESIGN.md §4).

States: ``present`` (≥ min_alt_reads alt reads and VAF ≥ min_vaf; GT-only: genotype carries the
allele), ``absent`` (not present, and the depth gave ≥ ``power`` probability of seeing
≥ min_alt_reads alt reads at VAF v*, v* = lowest VAF among tumour samples where the variant is
present, floored at ``vaf_floor``), ``not_assessed`` (anything else — missing is never wild type)
and ``filtered`` (FILTER failed and ``pass_only``). Clonality counts only present/absent tumour
samples. The normal is observed too, but only to flag possible germline variants or artefacts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from mtorvar.engine.merge import SITE_NOT_IN_FILE
from mtorvar.engine.samples import SITES_SAMPLE
from mtorvar.models.base import Frozen
from mtorvar.models.report import SampleInfo
from mtorvar.models.variant import Allele, AlleleCall, Clonality, Observation, State


class ObserveParams(Frozen):
    """Thresholds of the state rules; defaults are the documented CLI defaults."""

    min_alt_reads: int = 3
    min_vaf: float = 0.02
    power: float = 0.95
    vaf_floor: float = 0.05
    pass_only: bool = False


class VariantObservations(Frozen):
    """Everything observe says about one allele."""

    observations: dict[str, Observation]  # every sample, tumour and normal, by name
    clonality: Clonality
    clonality_counts: dict[str, int]
    v_star: float | None = None  # VAF the absence power was computed at
    warnings: tuple[str, ...] = ()


def binomial_sf(k: int, n: int, p: float) -> float:
    """P(X ≥ k) for X ~ Binomial(n, p), exact (sum of the k lower terms, in log space)."""
    if k <= 0:
        return 1.0
    if k > n or p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)
    below = 0.0
    for i in range(k):
        log_term = (math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1)
                    + i * log_p + (n - i) * log_q)
        below += math.exp(log_term)
    return max(0.0, min(1.0, 1.0 - below))


def detection_power(depth: int, vaf: float, min_alt_reads: int) -> float:
    """Probability that a sample of this depth shows ≥ min_alt_reads alt reads at this VAF."""
    return binomial_sf(min_alt_reads, depth, vaf)


def min_depth_for_power(vaf: float, min_alt_reads: int, power: float) -> int:
    """Smallest depth whose detection power reaches ``power`` (documents the absent rule)."""
    depth = min_alt_reads
    while detection_power(depth, vaf, min_alt_reads) < power:
        depth += 1
    return depth


def read_counts(call: AlleleCall) -> tuple[int, int, float, str | None] | None:
    """(alt reads, depth, VAF, note) from a call's read evidence, or None when there is none."""
    alt, depth, vaf = call.alt_reads, call.depth, call.vaf
    if depth is None or depth <= 0:
        return None
    if alt is not None:
        return alt, depth, (vaf if vaf is not None else alt / depth), None
    if vaf is not None:  # AF/FA/FREQ without allele depths: reconstruct the count
        return round(vaf * depth), depth, vaf, "alt reads estimated as VAF × depth"
    return None


def _call_failed(allele: Allele, call: AlleleCall | None) -> bool:
    filters = call.filters if call is not None and call.filters is not None else allele.filters
    own = call.sample_filter if call is not None else None
    return filters not in ((), ("PASS",)) or own not in (None, "", ".", "PASS")


def _is_present(call: AlleleCall, params: ObserveParams) -> bool:
    counts = read_counts(call)
    if counts is not None:
        alt, _depth, vaf, _note = counts
        return alt >= params.min_alt_reads and vaf >= params.min_vaf
    return call.alt_reads is None and call.depth is None and call.carries is True


def _v_star(allele: Allele, samples: Sequence[SampleInfo], params: ObserveParams) -> float:
    """Lowest VAF among tumour samples where present (reads evidence), floored."""
    vafs = []
    for index, sample in enumerate(samples):
        call = allele.calls[index] if index < len(allele.calls) else None
        if sample.role != "tumor" or call is None or not _is_present(call, params):
            continue
        if params.pass_only and _call_failed(allele, call):
            continue
        counts = read_counts(call)
        if counts is not None:
            vafs.append(counts[2])
    return max(min(vafs), params.vaf_floor) if vafs else params.vaf_floor


def observe_call(call: AlleleCall | None, v_star: float, params: ObserveParams) -> Observation:
    """State of one sample's call (``None``: the sample has no column at this site)."""
    if call is None:
        return Observation(state="not_assessed", note="sample missing from the input file")
    counts = read_counts(call)
    if counts is not None:
        alt, depth, vaf, note = counts
        reads = Observation(state="present", evidence="reads", depth=depth, alt_reads=alt,
                            vaf=round(vaf, 6), note=note)
        if alt >= params.min_alt_reads and vaf >= params.min_vaf:
            return reads
        power = detection_power(depth, v_star, params.min_alt_reads)
        state: State = "absent" if power >= params.power else "not_assessed"
        why = (f"power {power:.3f} at VAF {v_star:.3f}" if state == "absent" else
               f"depth {depth} gives only {power:.3f} power at VAF {v_star:.3f}")
        if alt > 0:
            why += f"; {alt} alt read(s) below the presence thresholds"
        return reads.model_copy(update={"state": state, "power": round(power, 6), "note": why})
    if call.alt_reads is None and call.depth is None and call.carries is not None:
        if call.carries:
            return Observation(state="present", evidence="genotype",
                               note="genotype carries the allele; no read counts")
        return Observation(state="not_assessed", evidence="genotype",
                           note="reference genotype without read counts")
    if call.depth == 0:
        return Observation(state="not_assessed", evidence="reads", depth=0, note="no coverage")
    if call.depth_source == SITE_NOT_IN_FILE:
        return Observation(state="not_assessed", note=SITE_NOT_IN_FILE)
    return Observation(state="not_assessed", note="no data for this sample at this site")


def clonality_of(states: Sequence[State]) -> tuple[Clonality, dict[str, int]]:
    """Clonality across tumour samples, counting only present/absent ones (DESIGN.md §4)."""
    counts = {s: sum(1 for x in states if x == s)
              for s in ("present", "absent", "not_assessed", "filtered")}
    present, absent = counts["present"], counts["absent"]
    counts["assessed"] = present + absent
    if absent == 0 and present >= 2:
        return "truncal", counts
    if present >= 2 and absent >= 1:
        return "shared", counts
    if present == 1 and absent >= 1:
        return "private", counts
    return "undetermined", counts


def observe_allele(allele: Allele, samples: Sequence[SampleInfo],
                   params: ObserveParams | None = None) -> VariantObservations:
    """Observe one allele in every sample; ``samples`` align with ``allele.calls`` by index."""
    params = params or ObserveParams()
    if not allele.calls and [s.name for s in samples] == [SITES_SAMPLE]:
        obs = Observation(state="present", note="sites-only input: present by definition")
        return VariantObservations(observations={SITES_SAMPLE: obs}, clonality="undetermined",
                                   clonality_counts=clonality_of(["present"])[1])
    v_star = _v_star(allele, samples, params)
    observations: dict[str, Observation] = {}
    warnings: list[str] = []
    for index, sample in enumerate(samples):
        call = allele.calls[index] if index < len(allele.calls) else None
        if params.pass_only and _call_failed(allele, call):
            observations[sample.name] = Observation(state="filtered", note="FILTER not PASS")
            continue
        obs = observe_call(call, v_star, params)
        observations[sample.name] = obs
        if sample.role == "normal" and obs.state == "present":
            warnings.append(_normal_warning(sample.name, obs))
    states = [observations[s.name].state for s in samples if s.role == "tumor"]
    clonality, counts = clonality_of(states)
    return VariantObservations(observations=observations, clonality=clonality,
                               clonality_counts=counts, v_star=round(v_star, 6),
                               warnings=tuple(warnings))


def _normal_warning(name: str, obs: Observation) -> str:
    if obs.evidence == "genotype":
        support = "a genotype carrying the allele"
    else:
        support = f"{obs.alt_reads}/{obs.depth} alt reads (VAF {obs.vaf:.3f})"
    return (f"normal sample {name} shows {support}: possible germline variant or artefact; "
            "somatic calls and clonality treat it with caution")
