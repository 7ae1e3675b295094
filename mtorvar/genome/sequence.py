"""Reference sequence sources: the bundled slices, or a user FASTA (``mtorvar.io.fasta``)."""

from __future__ import annotations

from bisect import bisect_right
from functools import cache
from typing import Protocol, runtime_checkable

from mtorvar.genome.codons import revcomp
from mtorvar.genome.transcripts import _payload, models
from mtorvar.models.base import Build


@runtime_checkable
class SequenceSource(Protocol):
    """Plus-strand bases of a canonical contig, 1-based inclusive, upper case; None if unknown."""

    def fetch(self, contig: str, start: int, end: int) -> str | None: ...


class BundledSequence:
    """What the package ships: genomic slices (MTOR, TSC1, TSC2) and exonic bases (all genes).

    A fetch succeeds only when the whole range lies inside one known segment.
    """

    def __init__(self, segments: list[tuple[str, int, str]]) -> None:
        self._by_contig: dict[str, tuple[list[int], list[str]]] = {}
        for contig, start, seq in sorted(segments):
            starts, seqs = self._by_contig.setdefault(contig, ([], []))
            starts.append(start)
            seqs.append(seq)

    def fetch(self, contig: str, start: int, end: int) -> str | None:
        found = self._by_contig.get(contig)
        if found is None or end < start:
            return None if found is None else ""
        starts, seqs = found
        i = bisect_right(starts, start) - 1
        # Segments may nest (an exon inside a slice is never stored twice, but be safe).
        while i >= 0:
            offset = start - starts[i]
            if end - starts[i] < len(seqs[i]):
                return seqs[i][offset : end - starts[i] + 1]
            i -= 1
        return None


class ChainedSequence:
    """Ask each source in turn; the first answer wins (a user FASTA before bundled slices)."""

    def __init__(self, *sources: SequenceSource) -> None:
        self._sources = sources

    def fetch(self, contig: str, start: int, end: int) -> str | None:
        for source in self._sources:
            seq = source.fetch(contig, start, end)
            if seq is not None:
                return seq.upper()
        return None


@cache
def bundled(build: Build) -> BundledSequence:
    """The sequence the package serves for one build."""
    segments: list[tuple[str, int, str]] = [
        (s["contig"], s["start"], s["seq"]) for s in _payload()["genomic"][build]]
    covered = {s["gene"] for s in _payload()["genomic"][build]}
    for model in models(build):
        if model.gene in covered:
            continue
        for ex in model.exons:  # exonic bases only, from the cDNA
            part = model.cdna[ex.tx_start - 1 : ex.tx_end]
            segments.append((model.contig, ex.g_start, part if model.strand > 0 else revcomp(part)))
    return BundledSequence(segments)


def ref_matches(build: Build, contig: str, pos: int, ref: str) -> bool | None:
    """Does a VCF REF agree with the bundled sequence? None where the bases are not known."""
    known = bundled(build).fetch(contig, pos, pos + len(ref) - 1)
    if not known:
        return None
    return known == ref.upper()
