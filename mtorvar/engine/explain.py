"""``mtorvar explain NOTATION``: which rules one variant fires, why, and what they predict."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from pydantic import Field

from mtorvar.engine.match import combine, match_sample, match_variant
from mtorvar.genome.notation import annotation_from_notation
from mtorvar.models import Annotation, ClassCall, DrugClass, Frozen, RuleMatch

if TYPE_CHECKING:
    from mtorvar.kb.loader import KnowledgeBase

Annotate = Callable[[str], Annotation]


class ExplainResult(Frozen):
    """JSON shape: ``{"gene", "hgvs_p", "matches": [...], "predictions": {class: {"call"}}}``."""

    notation: str
    gene: str
    transcript: str | None = None
    hgvs_c: str | None = None
    hgvs_p: str | None = None
    consequence: tuple[str, ...] = ()
    variant_class: str | None = None
    domains: tuple[str, ...] = ()
    matches: tuple[RuleMatch, ...] = ()
    predictions: dict[DrugClass, ClassCall] = Field(default_factory=dict)
    knowledge_base: dict[str, str] = Field(default_factory=dict)  # version, sha256


def explain(notation: str, kb: KnowledgeBase, annotate: Annotate | None = None) -> ExplainResult:
    """Annotate ``notation`` (InputError when unparseable) and apply the knowledge base to it.

    The variant is treated as a one-variant sample, so TSC1/TSC2 calls carry the
    "second allele not assessed" note; no phenotype applies.
    """
    annotation = (annotate or annotation_from_notation)(notation)
    variant_matches = match_variant(annotation, kb)
    matches = match_sample([(annotation, variant_matches)], {}, kb, {})
    return ExplainResult(
        notation=notation, gene=annotation.gene, transcript=annotation.transcript,
        hgvs_c=annotation.hgvs_c, hgvs_p=annotation.hgvs_p, consequence=annotation.consequence,
        variant_class=annotation.variant_class, domains=annotation.domains,
        matches=tuple(matches), predictions=combine(matches, kb),
        knowledge_base={"version": kb.version, "sha256": kb.sha256},
    )


def render_explain_json(result: ExplainResult) -> str:
    """Deterministic JSON (sorted keys) for ``explain --json``."""
    return json.dumps(result.model_dump(mode="json"), sort_keys=True, indent=2) + "\n"


def render_explain_text(result: ExplainResult) -> str:
    """Human-readable explanation: the variant, each rule that fired, and the calls."""
    lines = [f"{result.notation}"]
    what = ", ".join(p for p in (result.transcript, result.hgvs_c, result.hgvs_p) if p)
    lines.append(f"  variant: {result.gene} {what} [{result.variant_class or 'unknown class'}]")
    if result.domains:
        lines.append(f"  domains: {', '.join(result.domains)}")
    if not result.matches:
        lines.append("  no rule in the knowledge base matches this variant: every class is unknown")
    for m in result.matches:
        lines.append(f"  rule {m.rule_id} ({m.specificity}, evidence {m.evidence_level}): "
                     f"{m.title}")
        lines.append(f"    why: {m.mechanism}")
        for drug, pred in m.predictions.items():
            if pred.call != "unknown" or pred.note:
                lines.append(f"    {drug}: {pred.call}" + (f" ({pred.note})" if pred.note else ""))
        if m.citations:
            lines.append(f"    citations: {', '.join(m.citations)}")
        lines.extend(f"    note: {note}" for note in m.notes)
    lines.append("  predictions:")
    for drug, call in result.predictions.items():
        because = f" because {', '.join(call.because)}" if call.because else ""
        level = f" [level {call.evidence_level}]" if call.evidence_level else ""
        lines.append(f"    {drug:<15} {call.call}{level}{because}")
    kb = result.knowledge_base
    if kb:
        lines.append(f"  knowledge base {kb.get('version')} ({kb.get('sha256', '')[:12]})")
    return "\n".join(lines) + "\n"
