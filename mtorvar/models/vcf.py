"""What the reader (``mtorvar.io``) hands on: plain records, 1-based, no htslib objects."""

from __future__ import annotations

from pydantic import Field

from mtorvar.models.base import Frozen


class SampleCall(Frozen):
    """One sample's FORMAT data at one record, reduced to what the pipeline uses.

    ``allele_depths`` holds read counts per allele (REF first) from whichever field the caller
    wrote (AD; Strelka2 tier-1 AU/CU/GU/TU or TAR/TIR; VarScan RD/AD; ...), ``depth_source``
    names that field. ``None`` means the caller gave nothing usable, never zero.
    """

    gt: tuple[int | None, ...] | None = None  # allele indices; None for '.'
    phased: bool = False
    phase_set: str | None = None  # PS, or PID when PGT/PID phasing is used
    phase_gt: str | None = None  # PGT as written, e.g. "0|1"
    allele_depths: tuple[int | None, ...] | None = None
    depth: int | None = None
    allele_freqs: tuple[float | None, ...] | None = None  # per ALT, from AF/FA/FREQ
    depth_source: str | None = None
    sample_filter: str | None = None  # FORMAT FT when present


class VcfRecord(Frozen):
    """One input record as written (multi-allelic, untrimmed)."""

    source: int = 0  # index of the input file (several inputs are merged by site)
    record_no: int  # 1-based ordinal within its file, for error messages
    chrom: str
    pos: int  # 1-based
    id: str | None = None
    ref: str
    alts: tuple[str, ...]
    qual: float | None = None
    filters: tuple[str, ...] = ()  # () for '.', ("PASS",) for PASS
    # Only the INFO keys the pipeline reads: CSQ, ANN, BCSQ, END, SVTYPE.
    info: dict[str, str] = Field(default_factory=dict)
    samples: tuple[SampleCall, ...] = ()

    @property
    def passed(self) -> bool:
        return self.filters in ((), ("PASS",))


class VcfHeader(Frozen):
    """The header facts later stages need."""

    path: str
    samples: tuple[str, ...]
    contigs: dict[str, int | None] = Field(default_factory=dict)  # ##contig ID -> length
    reference: str | None = None  # ##reference=
    assembly: str | None = None  # ##assembly= or ##contig assembly=
    meta: dict[str, str] = Field(default_factory=dict)  # e.g. normal_sample, tumor_sample
    csq_fields: tuple[str, ...] | None = None  # VEP CSQ Format: order
    ann_fields: tuple[str, ...] | None = None  # SnpEff ANN field order
    has_bcsq: bool = False
    indexed: bool = False
