"""What the rule engine returns."""

from __future__ import annotations

from pydantic import Field

from mtorvar.models.base import Call, DrugClass, Frozen


class Prediction(Frozen):
    """One prediction for one drug class."""

    call: Call
    note: str | None = None  # e.g. "strengthened: biallelic", "weak: inferential"


class RuleMatch(Frozen):
    """A rule that fired, with what it predicts and why."""

    rule_id: str
    title: str
    gene: str | None = None
    mechanism: str
    specificity: str  # exact | codon | range | gene | cooccurrence | phenotype
    predictions: dict[DrugClass, Prediction]
    evidence_level: str  # CIViC A-E
    citations: tuple[str, ...] = ()
    variant: str | None = None  # variant key the match is about (None for phenotype rules)
    notes: tuple[str, ...] = ()


class ClassCall(Frozen):
    """A combined call for one drug class in one sample, with the rules behind it."""

    call: Call
    because: tuple[str, ...] = ()  # rule IDs
    uncertain_because: tuple[str, ...] = ()  # variant keys not assessed here
    evidence_level: str | None = None
    notes: tuple[str, ...] = Field(default_factory=tuple)
