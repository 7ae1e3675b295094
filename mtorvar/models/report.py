"""The report: one model rendered into every output format (DESIGN.md section 6, contract)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mtorvar.models.base import Call, DrugClass, Frozen, TumorCall
from mtorvar.models.prediction import ClassCall, Prediction
from mtorvar.models.variant import Clonality, Observation

SCHEMA_VERSION = "1.0"
DISCLAIMER = "Research use only; not a clinical diagnostic."


class ToolInfo(Frozen):
    name: str = "mtorvar"
    version: str


class KnowledgeBaseInfo(Frozen):
    version: str
    sha256: str
    extra_rule_dirs: tuple[str, ...] = ()


class InputInfo(Frozen):
    path: str
    sha256: str | None = None
    paths: tuple[str, ...] = ()  # every input when several were merged
    genome_build: str | None = None
    build_evidence: str | None = None
    indexed: bool = False


class SampleInfo(Frozen):
    name: str
    role: Literal["tumor", "normal"] = "tumor"
    region: str | None = None
    purity: float | None = None
    ploidy: float | None = None
    timepoint: str | None = None
    phenotypes: dict[str, str] = Field(default_factory=dict)  # hypoxia, acidity, ps6, p4ebp1


class MatchOut(Frozen):
    rule_id: str
    title: str
    mechanism: str
    specificity: str
    predictions: dict[DrugClass, Prediction]
    evidence_level: str
    citations: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


class UpstreamAnnotation(Frozen):
    source: str  # VEP CSQ | SnpEff ANN | bcftools BCSQ
    transcript: str | None = None
    hgvs_c: str | None = None
    hgvs_p: str | None = None
    consequence: tuple[str, ...] = ()
    agrees: bool | None = None


class VariantOut(Frozen):
    id: str  # chrom:pos:ref>alt, stable within a report
    chrom: str
    pos: int
    ref: str
    alt: str
    vcf_id: str | None = None
    filters: tuple[str, ...] = ()
    gene: str | None = None
    transcript: str | None = None
    hgvs_g: str | None = None
    hgvs_c: str | None = None
    hgvs_p: str | None = None
    hgvs_p3: str | None = None
    consequence: tuple[str, ...] = ()
    variant_class: str | None = None
    domains: tuple[str, ...] = ()
    protein_start: int | None = None
    protein_end: int | None = None
    exon: str | None = None
    intron: str | None = None
    normalised: str | None = None
    observations: dict[str, Observation] = Field(default_factory=dict)
    clonality: Clonality = "undetermined"
    clonality_counts: dict[str, int] = Field(default_factory=dict)
    matches: tuple[MatchOut, ...] = ()
    predictions: dict[DrugClass, Prediction] = Field(default_factory=dict)
    upstream: tuple[UpstreamAnnotation, ...] = ()
    skipped: str | None = None  # reason when the allele was not annotated
    warnings: tuple[str, ...] = ()


class RegionOut(Frozen):
    sample: str
    region: str | None = None
    predictions: dict[DrugClass, ClassCall]
    phenotype_matches: tuple[str, ...] = ()
    # gene -> biallelic | monoallelic | unknown
    second_hit: dict[str, str] = Field(default_factory=dict)
    notes: tuple[str, ...] = ()  # the evidence behind second_hit, e.g. "TSC2: biallelic (...)"


class TumorClassCall(Frozen):
    call: TumorCall
    by_sample: dict[str, Call] = Field(default_factory=dict)


class TumorOut(Frozen):
    predictions: dict[DrugClass, TumorClassCall] = Field(default_factory=dict)
    effective_in_all_samples: tuple[DrugClass, ...] = ()
    resistant_subclones: tuple[str, ...] = ()


class Report(Frozen):
    schema_version: str = SCHEMA_VERSION
    tool: ToolInfo
    created: str | None = None  # from SOURCE_DATE_EPOCH when set
    command_line: tuple[str, ...] = ()
    parameters: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    knowledge_base: KnowledgeBaseInfo
    input: InputInfo
    samples: tuple[SampleInfo, ...] = ()
    genes_covered: dict[str, bool] | None = None  # with --targets
    variants: tuple[VariantOut, ...] = ()
    regions: tuple[RegionOut, ...] = ()
    tumor: TumorOut = Field(default_factory=TumorOut)
    warnings: tuple[str, ...] = ()
    disclaimer: str = DISCLAIMER
