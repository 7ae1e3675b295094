"""Pydantic schema of the knowledge-base files under ``rules/`` (closed vocabulary, no eval).

Every model forbids unknown keys, so a typo in a curator's file is an error, not a silently
ignored field. Cross-file checks (genes exist, residues inside the protein, IDs unique, ...)
live in ``mtorvar.kb.validate``; this module only describes shapes.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mtorvar.models.base import Call, DrugClass

Level = Literal["A", "B", "C", "D", "E"]
Tier = Literal["exact", "codon", "range", "gene", "cooccurrence", "phenotype"]
VariantClassSelector = Literal["missense", "inframe", "truncating", "splice", "any"]
RULE_ID_PATTERN = r"^[A-Z0-9]+(-[A-Za-z0-9*]+)+$"
CITATION_PATTERN = r"^(PMID:[1-9][0-9]{0,8}|PMCID:PMC[0-9]+|DOI:10\.[0-9]{4,9}/\S+)$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- genes.yaml, drugs.yaml, evidence.yaml, policy.yaml -------------------------------------


class GeneSpec(Strict):
    symbol: str
    name: str
    chromosome: str
    strand: Literal["+", "-"]
    mane_refseq: str
    mane_ensembl: str
    protein: str
    protein_length: int = Field(gt=0)
    role: Literal["oncogene", "tumour_suppressor"]
    note: str | None = None


class GenesFile(Strict):
    genes: list[GeneSpec]


class DrugClassSpec(Strict):
    id: DrugClass
    name: str
    mechanism: str
    agents: list[str]


class DrugsFile(Strict):
    drug_classes: list[DrugClassSpec]


class EvidenceLevelSpec(Strict):
    level: Level
    name: str
    description: str
    weight: int = Field(ge=1, le=5, description="higher is stronger; A=5 ... E=1")


class EvidenceFile(Strict):
    source: str
    levels: list[EvidenceLevelSpec]


class CombinationStep(Strict):
    """One step of the combination ladder: the first step any prediction satisfies wins."""

    call: Call
    min_evidence: Level
    note: str | None = None


class SecondHitPolicy(Strict):
    """How a second hit in a tumour suppressor changes what a loss-of-function call says."""

    genes: list[str]
    inactivating_tag: str
    biallelic_note: str
    monoallelic_note: str
    unknown_note: str


class PolicyFile(Strict):
    description: str
    specificity_order: list[Literal["exact", "codon", "range", "gene"]]
    combination: list[CombinationStep]
    phenotypes: dict[str, list[str]]
    second_hit: SecondHitPolicy


# --- rule files -----------------------------------------------------------------------------


class ResidueRange(Strict):
    start: int = Field(ge=1)
    end: int = Field(ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> ResidueRange:
        if self.end < self.start:
            raise ValueError(f"range end {self.end} is before start {self.start}")
        return self


class LofException(Strict):
    """Truncations starting at or after ``min_residue`` are not counted as loss of function."""

    min_residue: int = Field(ge=1)
    note: str


class LossOfFunction(Strict):
    exceptions: list[LofException] = Field(default_factory=list)


class SampleItem(Strict):
    """Something present in the same sample: a rule that fired, a gene, or a rule tag."""

    rule: str | None = None
    gene: str | None = None
    tag: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> SampleItem:
        given = [k for k in ("rule", "gene", "tag") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of rule, gene, tag")
        return self


class Cooccurrence(Strict):
    all_of: list[SampleItem] = Field(min_length=2)


class Unless(Strict):
    """Conditions under which a phenotype rule does not apply (any one suffices)."""

    phenotypes: dict[str, str] = Field(default_factory=dict)
    present: list[SampleItem] = Field(default_factory=list)


_MATCH_KINDS = ("protein_change", "codon", "range", "domain", "loss_of_function",
                "cooccurrence", "phenotype")


class MatchSpec(Strict):
    """Exactly one kind of match, from a closed vocabulary."""

    protein_change: list[str] | None = Field(default=None, min_length=1)
    codon: int | None = Field(default=None, ge=1)
    alt_residues: list[str] | None = None
    range: ResidueRange | None = None
    domain: str | None = None
    variant_class: VariantClassSelector | None = None
    loss_of_function: LossOfFunction | None = None
    cooccurrence: Cooccurrence | None = None
    phenotype: dict[str, str] | None = None
    unless: Unless | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> MatchSpec:
        kinds = [k for k in _MATCH_KINDS if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(f"a match needs exactly one of {', '.join(_MATCH_KINDS)}; "
                             f"got {', '.join(kinds) or 'none'}")
        kind = kinds[0]
        if self.alt_residues is not None and kind != "codon":
            raise ValueError("alt_residues goes with codon only")
        if (self.variant_class is None) == (kind in ("range", "domain")):
            raise ValueError("variant_class is required with range/domain and allowed only there")
        if self.unless is not None and kind != "phenotype":
            raise ValueError("unless goes with phenotype only")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in _MATCH_KINDS if getattr(self, k) is not None)

    @property
    def tier(self) -> Tier:
        return {"protein_change": "exact", "codon": "codon", "range": "range",
                "domain": "range", "loss_of_function": "gene",
                "cooccurrence": "cooccurrence", "phenotype": "phenotype"}[self.kind]  # type: ignore[return-value]


class PredictionSpec(Strict):
    call: Call
    note: str | None = None
    evidence_level: Level | None = Field(
        default=None, description="when this class rests on weaker evidence than the rule's")


class SampleExample(Strict):
    """A small sample for co-occurrence and phenotype rules."""

    variants: list[str] = Field(default_factory=list)
    phenotypes: dict[str, str] = Field(default_factory=dict)
    second_hits: dict[str, Literal["biallelic", "monoallelic", "unknown"]] = Field(
        default_factory=dict)


Example = str | SampleExample


class Examples(Strict):
    fire: list[Example] = Field(default_factory=list)
    no_fire: list[Example] = Field(default_factory=list)


class Rule(Strict):
    id: str = Field(pattern=RULE_ID_PATTERN)
    status: Literal["active", "deprecated"]
    gene: str | None = None
    title: str
    match: MatchSpec
    mechanism: str
    predictions: dict[DrugClass, PredictionSpec]
    evidence_level: Level
    citations: list[str] = Field(default_factory=list)
    citation_note: str | None = None
    curated: dt.date
    examples: Examples
    tags: list[str] = Field(default_factory=list)
    overrides: bool = False
    replaced_by: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        bad = [c for c in self.citations if not re.match(CITATION_PATTERN, c)]
        if bad:
            raise ValueError(f"citations must look like PMID:nnnn, PMCID:PMCnnnn or DOI:10.x/y; "
                             f"got {', '.join(map(repr, bad))}")
        if not self.citations and not self.citation_note:
            raise ValueError("give citations, or a citation_note saying why there are none")
        variant_level = self.match.tier in ("exact", "codon", "range", "gene")
        if variant_level and self.gene is None:
            raise ValueError("a variant-level rule needs gene")
        if not variant_level and self.gene is not None:
            raise ValueError("gene is only for variant-level rules")
        return self


class RuleFile(Strict):
    """One file of rules (``rules/MTOR.yaml`` etc., or a site's own file)."""

    description: str | None = None
    rules: list[Rule]


KNOWN_FILES: dict[str, type[Strict]] = {
    "genes.yaml": GenesFile, "drugs.yaml": DrugsFile, "evidence.yaml": EvidenceFile,
    "policy.yaml": PolicyFile,
}
