"""Rule matching: pure functions from annotated variants and sample facts to rule matches.

* ``match_variant`` — the rules one variant fires; within its gene only the most specific
  tier applies (``policy.yaml: specificity_order``, exact > codon > range/domain > gene).
* ``match_sample`` — every match of one sample: its variant matches (with second-hit notes
  for TSC1/TSC2) plus co-occurrence and phenotype rules.
* ``combine`` — one call per drug class from a sample's matches, by the ladder declared in
  ``policy.yaml``; every call lists the rule IDs behind it.

A variant no rule knows gets no match, hence ``unknown`` for every class, never ``sensitive``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from mtorvar.kb.loader import load_knowledge_base
from mtorvar.kb.protein import normalise_protein_change
from mtorvar.kb.schema import LofException, Rule, SampleItem
from mtorvar.models import DRUG_CLASSES, Annotation, ClassCall, DrugClass, Prediction, RuleMatch

if TYPE_CHECKING:
    from mtorvar.kb.loader import KnowledgeBase

TRUNCATING = frozenset({"nonsense", "frameshift", "start_lost"})
INFRAME = frozenset({"inframe_deletion", "inframe_insertion", "inframe_delins"})
PROTEIN_ALTERING = frozenset({"missense", "stop_lost", *TRUNCATING, *INFRAME})
CANONICAL_SPLICE_TERMS = frozenset({"splice_acceptor_variant", "splice_donor_variant"})
VARIANT_TIERS = ("exact", "codon", "range", "gene")


# --- one variant -----------------------------------------------------------------------------


def variant_key(annotation: Annotation) -> str:
    """``GENE:p.X`` (or ``GENE:c.X`` when there is no protein change) naming a variant."""
    change = annotation.hgvs_p or annotation.hgvs_c or "?"
    return f"{annotation.gene}:{change}"


def is_canonical_splice(annotation: Annotation) -> bool:
    return annotation.variant_class == "splice" or bool(
        CANONICAL_SPLICE_TERMS & set(annotation.consequence))


def is_truncating(annotation: Annotation) -> bool:
    """Loss-of-function class: nonsense, frameshift, start loss or canonical splice site."""
    return annotation.variant_class in TRUNCATING or is_canonical_splice(annotation)


def _class_selected(selector: str, annotation: Annotation) -> bool:
    vc = annotation.variant_class
    return {
        "missense": vc == "missense",
        "inframe": vc in INFRAME,
        "truncating": vc in TRUNCATING,
        "splice": is_canonical_splice(annotation),
        "any": vc in PROTEIN_ALTERING or is_canonical_splice(annotation),
    }[selector]


def _span(annotation: Annotation) -> tuple[int, int] | None:
    if annotation.protein_start is None:
        return None
    return annotation.protein_start, annotation.protein_end or annotation.protein_start


def _missense_alt(annotation: Annotation) -> str | None:
    if annotation.alt_aa:
        return annotation.alt_aa
    change = normalise_protein_change(annotation.hgvs_p or "")
    return change[-1] if change[-1:].isalpha() else None


@lru_cache(maxsize=512)
def _normalised(changes: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalise_protein_change(c) for c in changes)


def _fires_on_variant(rule: Rule, annotation: Annotation,
                      kb: KnowledgeBase) -> tuple[str, ...] | None:
    """Notes when ``rule`` fires on ``annotation``, else None."""
    match = rule.match
    span = _span(annotation)
    if match.protein_change is not None:
        hgvs_p = annotation.hgvs_p
        ok = hgvs_p is not None and normalise_protein_change(hgvs_p) in _normalised(
            tuple(match.protein_change))
        return () if ok else None
    if match.codon is not None:
        ok = (annotation.variant_class == "missense" and span == (match.codon, match.codon)
              and (match.alt_residues is None or _missense_alt(annotation) in match.alt_residues))
        return () if ok else None
    if match.range is not None or match.domain is not None:
        bounds = ((match.range.start, match.range.end) if match.range is not None
                  else kb.domain_ranges.get((annotation.gene, match.domain or "")))
        ok = (bounds is not None and span is not None and span[0] <= bounds[1]
              and span[1] >= bounds[0]
              and _class_selected(match.variant_class or "any", annotation))
        return () if ok else None
    if match.loss_of_function is not None:
        return _loss_of_function(match.loss_of_function.exceptions, annotation)
    return None


def _loss_of_function(exceptions: Sequence[LofException],
                      annotation: Annotation) -> tuple[str, ...] | None:
    if not is_truncating(annotation):
        return None
    start = annotation.protein_start
    positional = annotation.variant_class in ("nonsense", "frameshift")
    for exception in exceptions:
        if positional and start is not None and start >= exception.min_residue:
            return None
    kind = "canonical splice site" if is_canonical_splice(annotation) else annotation.variant_class
    return (f"loss of function: {kind.replace('_', ' ')}",)


def _prediction_note(rule: Rule, drug: DrugClass) -> str | None:
    spec = rule.predictions[drug]
    if spec.evidence_level and spec.evidence_level != rule.evidence_level:
        return f"level {spec.evidence_level}" + (f": {spec.note}" if spec.note else "")
    return spec.note


def rule_match(rule: Rule, variant: str | None, notes: Iterable[str] = ()) -> RuleMatch:
    """The ``RuleMatch`` a fired rule reports; classes the rule is silent on are ``unknown``."""
    predictions = {
        drug: (Prediction(call=rule.predictions[drug].call, note=_prediction_note(rule, drug))
               if drug in rule.predictions else Prediction(call="unknown"))
        for drug in DRUG_CLASSES
    }
    return RuleMatch(
        rule_id=rule.id, title=rule.title, gene=rule.gene,
        mechanism=" ".join(rule.mechanism.split()),
        specificity=rule.match.tier, predictions=predictions, evidence_level=rule.evidence_level,
        citations=tuple(rule.citations), variant=variant, notes=tuple(notes),
    )


def match_variant(annotation: Annotation, kb: KnowledgeBase) -> list[RuleMatch]:
    """Rules this variant fires, keeping only the most specific tier within its gene."""
    fired: list[tuple[Rule, tuple[str, ...]]] = []
    for rule in _variant_rules(kb, annotation.gene):
        notes = _fires_on_variant(rule, annotation, kb)
        if notes is not None:
            fired.append((rule, notes))
    if not fired:
        return []
    order: list[str] = list(kb.policy.specificity_order)
    best = min(order.index(rule.match.tier) for rule, _ in fired)
    key = variant_key(annotation)
    return [rule_match(rule, key, notes) for rule, notes in fired
            if order.index(rule.match.tier) == best]


def _variant_rules(kb: KnowledgeBase, gene: str) -> list[Rule]:
    return [rule for rule in kb.rules if rule.status == "active" and rule.gene == gene
            and rule.match.tier in VARIANT_TIERS]


# --- one sample ------------------------------------------------------------------------------


def _rule_tags(kb: KnowledgeBase, rule_id: str) -> frozenset[str]:
    rule = kb.rules_by_id.get(rule_id)
    return frozenset(rule.tags) if rule is not None else frozenset()


def _item_hits(item: SampleItem, present: Sequence[tuple[Annotation, list[RuleMatch]]],
               kb: KnowledgeBase) -> list[str]:
    """Variant keys in the sample satisfying one co-occurrence/unless item."""
    hits = []
    for annotation, matches in present:
        if item.gene is not None:
            ok = annotation.gene == item.gene and bool(matches)
        elif item.rule is not None:
            ok = any(m.rule_id == item.rule for m in matches)
        else:
            ok = any(item.tag in _rule_tags(kb, m.rule_id) for m in matches)
        if ok:
            hits.append(variant_key(annotation))
    return hits


def _phenotype_fires(rule: Rule, phenotypes: Mapping[str, str],
                     present: Sequence[tuple[Annotation, list[RuleMatch]]],
                     kb: KnowledgeBase) -> tuple[str, ...] | None:
    required = rule.match.phenotype or {}
    if not required or any(phenotypes.get(k) != v for k, v in required.items()):
        return None
    unless = rule.match.unless
    if unless is not None and (
            any(phenotypes.get(k) == v for k, v in unless.phenotypes.items())
            or any(_item_hits(item, present, kb) for item in unless.present)):
        return None
    return ("phenotype: " + ", ".join(f"{k}={v}" for k, v in sorted(required.items())),)


def _sample_rule_matches(present: Sequence[tuple[Annotation, list[RuleMatch]]],
                         phenotypes: Mapping[str, str], kb: KnowledgeBase) -> list[RuleMatch]:
    out = []
    for rule in kb.rules:
        if rule.status != "active":
            continue
        if rule.match.cooccurrence is not None:
            hits = [_item_hits(item, present, kb) for item in rule.match.cooccurrence.all_of]
            if all(hits):
                keys = sorted({key for group in hits for key in group})
                out.append(rule_match(rule, None, (f"co-occurring: {', '.join(keys)}",)))
        elif rule.match.phenotype is not None:
            notes = _phenotype_fires(rule, phenotypes, present, kb)
            if notes is not None:
                out.append(rule_match(rule, None, notes))
    return out


def _second_hit_notes(matches: list[RuleMatch], kb: KnowledgeBase,
                      second_hits: Mapping[str, str]) -> list[RuleMatch]:
    """Say, on each TSC1/TSC2 inactivating match, whether the other allele is hit too."""
    policy = kb.policy.second_hit
    updated = list(matches)
    for gene in policy.genes:
        idx = [i for i, m in enumerate(updated) if m.gene == gene
               and policy.inactivating_tag in _rule_tags(kb, m.rule_id)]
        variants = sorted({updated[i].variant or "" for i in idx})
        if not variants:
            continue
        state = second_hits.get(gene, "unknown")
        if len(variants) >= 2:
            note = (f"{policy.biallelic_note} "
                    f"[two inactivating {gene} variants: {', '.join(variants)}]")
        elif state == "biallelic":
            note = f"{policy.biallelic_note} [{gene} second hit from copy-number input]"
        elif state == "monoallelic":
            note = policy.monoallelic_note
        else:
            note = policy.unknown_note
        for i in idx:
            updated[i] = updated[i].model_copy(update={"notes": (*updated[i].notes, note)})
    return updated


def match_sample(present: list[tuple[Annotation, list[RuleMatch]]], phenotypes: dict[str, str],
                 kb: KnowledgeBase, second_hits: dict[str, str] | None = None) -> list[RuleMatch]:
    """Every match for one sample: the variant matches of the variants present there (with
    second-hit notes) plus co-occurrence and phenotype rule matches.

    ``present`` pairs each variant present in the sample with its ``match_variant`` result.
    ``second_hits`` maps TSC1/TSC2 to biallelic|monoallelic|unknown from copy-number input.
    ``combine`` de-duplicates by (rule, variant), so passing variant matches again is harmless.
    """
    variant_matches = [m for _, matches in present for m in matches]
    annotated = _second_hit_notes(variant_matches, kb, second_hits or {})
    return annotated + _sample_rule_matches(present, phenotypes, kb)


# --- combination -----------------------------------------------------------------------------


def _dedupe(matches: Iterable[RuleMatch]) -> list[RuleMatch]:
    merged: dict[tuple[str, str], RuleMatch] = {}
    for m in matches:
        key = (m.rule_id, m.variant or "")
        if key in merged:
            notes = tuple(dict.fromkeys((*merged[key].notes, *m.notes)))
            merged[key] = merged[key].model_copy(update={"notes": notes})
        else:
            merged[key] = m
    return [merged[k] for k in sorted(merged)]


def _class_level(m: RuleMatch, drug: DrugClass, kb: KnowledgeBase) -> str:
    rule = kb.rules_by_id.get(m.rule_id)
    if rule is not None and drug in rule.predictions and rule.predictions[drug].evidence_level:
        return rule.predictions[drug].evidence_level or m.evidence_level
    return m.evidence_level


def _combine_class(matches: list[RuleMatch], drug: DrugClass, kb: KnowledgeBase) -> ClassCall:
    calls = [(m, m.predictions[drug], _class_level(m, drug, kb))
             for m in matches if drug in m.predictions and m.predictions[drug].call != "unknown"]
    for step in kb.policy.combination:
        floor = kb.level_weight(step.min_evidence)
        chosen = [(m, lvl) for m, p, lvl in calls
                  if p.call == step.call and kb.level_weight(lvl) >= floor]
        if not chosen:
            continue
        because = tuple(sorted({m.rule_id for m, _ in chosen}))
        best = max((lvl for _, lvl in chosen), key=kb.level_weight)
        notes = [step.note] if step.note else []
        outranked = sorted({f"{p.call} ({m.rule_id})" for m, p, _ in calls if p.call != step.call})
        if outranked:
            notes.append("outranks " + ", ".join(outranked))
        notes += [n for m, _ in chosen for n in m.notes]
        return ClassCall(call=step.call, because=because, evidence_level=best,
                         notes=tuple(dict.fromkeys(notes)))
    flagged = [m for m in matches if drug in m.predictions and m.predictions[drug].note
               and m.predictions[drug].call == "unknown"]
    return ClassCall(call="unknown", because=tuple(sorted({m.rule_id for m in flagged})),
                     notes=tuple(dict.fromkeys(m.predictions[drug].note or "" for m in flagged)))


def combine(matches: list[RuleMatch], kb: KnowledgeBase) -> dict[DrugClass, ClassCall]:
    """One call per drug class from all matches of one sample (policy.yaml ``combination``)."""
    unique = _dedupe(matches)
    return {drug: _combine_class(unique, drug, kb) for drug in DRUG_CLASSES}


def variant_predictions(matches: list[RuleMatch],
                        kb: KnowledgeBase | None = None) -> dict[DrugClass, Prediction]:
    """Per-variant predictions (one variant's matches combined by the same policy)."""
    if kb is None:
        kb = load_knowledge_base()
    out: dict[DrugClass, Prediction] = {}
    for drug, call in combine(matches, kb).items():
        parts = [f"by {', '.join(call.because)}"] if call.because else []
        if call.evidence_level:
            parts.append(f"level {call.evidence_level}")
        out[drug] = Prediction(call=call.call, note="; ".join(parts) or None)
    return out
