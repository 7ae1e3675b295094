"""Region calls and the tumour verdict (DESIGN.md §4 and §6).

A region's (tumour sample's) call per drug class comes from the rule engine applied to the
variants *present* there plus the sample's phenotypes and second-hit status. A variant that
predicts something different and is ``not_assessed`` in that sample does not change the call
but is listed under ``uncertain_because``. The tumour verdict per class is the shared call of
the assessed samples, or ``heterogeneous``.

The rule engine is passed in (:class:`RuleEngine`), so everything here is pure and testable
with a tiny fake engine; :class:`KbEngine` adapts ``mtorvar.engine.match`` and a loaded KB.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import Field

from mtorvar.models.base import DRUG_CLASSES, Call, DrugClass, Frozen
from mtorvar.models.prediction import ClassCall, RuleMatch
from mtorvar.models.report import RegionOut, SampleInfo, TumorClassCall, TumorOut
from mtorvar.models.variant import Annotation, Observation

PresentVariant = tuple[Annotation, list[RuleMatch]]


class RuleEngine(Protocol):
    """What aggregation needs from the rule engine (``mtorvar.engine.match`` + a KB)."""

    def match_sample(self, present: list[PresentVariant], phenotypes: dict[str, str],
                     second_hits: dict[str, str]) -> list[RuleMatch]: ...

    def combine(self, matches: list[RuleMatch]) -> dict[DrugClass, ClassCall]: ...


@dataclass(frozen=True)
class KbEngine:
    """The real engine: ``mtorvar.engine.match`` functions bound to a knowledge base."""

    kb: Any

    def match_sample(self, present: list[PresentVariant], phenotypes: dict[str, str],
                     second_hits: dict[str, str]) -> list[RuleMatch]:
        return list(_match_module().match_sample(present, phenotypes, self.kb, second_hits))

    def combine(self, matches: list[RuleMatch]) -> dict[DrugClass, ClassCall]:
        return dict(_match_module().combine(matches, self.kb))


def _match_module() -> Any:
    # Imported on use: the rule engine is a separate stage and aggregation stays testable alone.
    return importlib.import_module("mtorvar.engine.match")


class VariantFacts(Frozen):
    """What aggregation needs to know about one variant."""

    id: str  # chrom:pos:ref>alt, the report's variant ID
    annotation: Annotation | None = None
    matches: tuple[RuleMatch, ...] = ()
    observations: dict[str, Observation] = Field(default_factory=dict)


def _state(variant: VariantFacts, sample: str) -> str:
    obs = variant.observations.get(sample)
    return obs.state if obs is not None else "not_assessed"


def variant_calls(variant: VariantFacts, engine: RuleEngine) -> dict[DrugClass, Call]:
    """What one variant on its own predicts per class (nothing for a variant with no match)."""
    if not variant.matches:
        return {}
    return {cls: cc.call for cls, cc in engine.combine(list(variant.matches)).items()}


def region_call(sample: SampleInfo, variants: Sequence[VariantFacts], engine: RuleEngine,
                second_hit: Mapping[str, str] | None = None,
                own_calls: Mapping[str, Mapping[DrugClass, Call]] | None = None) -> RegionOut:
    """One tumour sample's call per drug class (``own_calls``: precomputed variant_calls)."""
    present: list[PresentVariant] = [
        (v.annotation, list(v.matches)) for v in variants
        if v.annotation is not None and _state(v, sample.name) == "present"]
    hits = dict(second_hit or {})
    sample_matches = engine.match_sample(present, dict(sample.phenotypes), hits)
    combined = engine.combine([m for _, ms in present for m in ms] + sample_matches)
    calls = own_calls if own_calls is not None else {v.id: variant_calls(v, engine)
                                                    for v in variants}
    hidden = [v for v in variants if _state(v, sample.name) == "not_assessed"]
    predictions: dict[DrugClass, ClassCall] = {}
    for cls in DRUG_CLASSES:
        call = combined.get(cls, ClassCall(call="unknown"))
        uncertain = tuple(v.id for v in hidden
                          if calls[v.id].get(cls, "unknown") not in ("unknown", call.call))
        predictions[cls] = call.model_copy(update={"uncertain_because": uncertain})
    return RegionOut(sample=sample.name, region=sample.region, predictions=predictions,
                     phenotype_matches=tuple(m.rule_id for m in sample_matches
                                             if m.specificity == "phenotype"),
                     second_hit=hits)


def sample_assessed(sample: str, variants: Sequence[VariantFacts], region: RegionOut) -> bool:
    """A sample counts for the verdict when any variant was judged there or a phenotype fired."""
    return bool(region.phenotype_matches) or any(
        _state(v, sample) in ("present", "absent") for v in variants)


def tumor_verdict(regions: Sequence[RegionOut], variants: Sequence[VariantFacts],
                  own_calls: Mapping[str, Mapping[DrugClass, Call]]) -> TumorOut:
    """Per class: the shared call of the assessed samples, else ``heterogeneous``."""
    assessed = [r for r in regions if sample_assessed(r.sample, variants, r)]
    predictions: dict[DrugClass, TumorClassCall] = {}
    for cls in DRUG_CLASSES:
        by_sample = {r.sample: r.predictions[cls].call for r in regions}
        distinct = {r.predictions[cls].call for r in assessed}
        call = distinct.pop() if len(distinct) == 1 else (
            "heterogeneous" if distinct else "unknown")
        predictions[cls] = TumorClassCall(call=call, by_sample=by_sample)
    effective = tuple(cls for cls in DRUG_CLASSES if regions and all(
        r.predictions[cls].call == "sensitive" for r in regions))
    return TumorOut(predictions=predictions, effective_in_all_samples=effective,
                    resistant_subclones=resistant_subclones(
                        variants, [r.sample for r in regions], own_calls))


def resistant_subclones(variants: Sequence[VariantFacts], tumour_samples: Sequence[str],
                        own_calls: Mapping[str, Mapping[DrugClass, Call]]) -> tuple[str, ...]:
    """Variants predicting ``resistant`` for a class, present in some samples, absent in others."""
    out = []
    for v in variants:
        resistant = any(p.call == "resistant" for m in v.matches for p in m.predictions.values())
        resistant = resistant or "resistant" in own_calls.get(v.id, {}).values()
        states = {_state(v, s) for s in tumour_samples}
        if resistant and {"present", "absent"} <= states:
            out.append(v.id)
    return tuple(out)


def aggregate(samples: Sequence[SampleInfo], variants: Sequence[VariantFacts],
              engine: RuleEngine,
              second_hits: Mapping[str, Mapping[str, str]] | None = None,
              own_calls: Mapping[str, Mapping[DrugClass, Call]] | None = None
              ) -> tuple[list[RegionOut], TumorOut]:
    """Region calls for every tumour sample (input order) and the tumour verdict.

    ``own_calls`` (variant ID → what it predicts alone) may come from the caller, which has
    already combined each variant's matches for the report; otherwise it is computed here.
    """
    if own_calls is None:
        own_calls = {v.id: variant_calls(v, engine) for v in variants}
    regions = [region_call(s, variants, engine, (second_hits or {}).get(s.name), own_calls)
               for s in samples if s.role == "tumor"]
    return regions, tumor_verdict(regions, variants, own_calls)
