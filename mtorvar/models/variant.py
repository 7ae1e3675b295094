"""Stages after reading: one allele, its annotation, and its per-sample observation."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mtorvar.models.base import Frozen

VariantClass = Literal[
    "missense", "synonymous", "nonsense", "frameshift", "inframe_deletion",
    "inframe_insertion", "inframe_delins", "start_lost", "stop_lost", "splice",
    "splice_region", "intronic", "utr5", "utr3", "upstream", "downstream", "other",
]
State = Literal["present", "absent", "not_assessed", "filtered"]
Clonality = Literal["truncal", "shared", "private", "undetermined"]


class AlleleCall(Frozen):
    """One sample's evidence for one ALT allele (after multi-allelic splitting)."""

    carries: bool | None = None  # genotype carries this ALT; None when GT is missing
    alt_reads: int | None = None
    depth: int | None = None  # total informative depth (REF + all ALTs, or DP)
    vaf: float | None = None
    depth_source: str | None = None
    phase_set: str | None = None
    phased: bool = False
    allele_on_haplotype: tuple[int, ...] = ()  # haplotypes (0/1) carrying ALT when phased
    # FILTER of the record this call came from, set when several inputs are merged by site
    # (each file has its own FILTER); None means "use the Allele's filters".
    filters: tuple[str, ...] | None = None
    sample_filter: str | None = None  # FORMAT FT: this sample's own filter at the site


class Allele(Frozen):
    """One ALT of one record: the unit every later stage works on."""

    chrom: str  # as in the input (chr1 stays chr1)
    contig: str  # canonical name: 1..22, X, Y, MT
    pos: int
    ref: str
    alt: str
    allele_index: int  # 1-based index of this ALT in the record
    id: str | None = None
    filters: tuple[str, ...] = ()
    source: int = 0
    record_no: int = 0
    calls: tuple[AlleleCall, ...] = ()  # one per sample, header order
    info: dict[str, str] = Field(default_factory=dict)
    skip_reason: str | None = None  # symbolic, '*', gVCF block ... (reported, not annotated)

    @property
    def key(self) -> str:
        return f"{self.chrom}:{self.pos}:{self.ref}>{self.alt}"


class Annotation(Frozen):
    """Built-in consequence of one allele on one MANE Select transcript."""

    gene: str
    transcript: str
    hgvs_g: str | None = None
    hgvs_c: str | None = None
    hgvs_p: str | None = None  # one-letter, e.g. p.F2108L; None when not coding/computable
    hgvs_p3: str | None = None  # three-letter form
    consequence: tuple[str, ...] = ()  # Sequence Ontology terms
    variant_class: VariantClass = "other"
    domains: tuple[str, ...] = ()
    protein_start: int | None = None
    protein_end: int | None = None
    ref_aa: str | None = None  # one-letter residues replaced ("" for pure insertion)
    alt_aa: str | None = None  # one-letter residues inserted ("*" for stop)
    exon: str | None = None  # "12/58"
    intron: str | None = None
    normalised: str | None = None  # chrom:pos:ref>alt after 3' shifting, when it moved
    warnings: tuple[str, ...] = ()


class Observation(Frozen):
    """Per-sample state of one variant (DESIGN.md section 4)."""

    state: State
    evidence: Literal["reads", "genotype"] | None = None
    depth: int | None = None
    alt_reads: int | None = None
    vaf: float | None = None
    power: float | None = None  # P(>= min alt reads | depth, v*) when judged absent/not
    ccf: float | None = None
    ccf_low: float | None = None
    ccf_high: float | None = None
    note: str | None = None
