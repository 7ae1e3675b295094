"""Allele trimming and 3' shifting (the HGVS rule) on the genome, in either direction."""

from __future__ import annotations

from dataclasses import dataclass, replace

from mtorvar.genome.sequence import SequenceSource

MAX_SHIFT = 10_000  # a repeat longer than this is not worth following


@dataclass(frozen=True, slots=True)
class Edit:
    """A minimal plus-strand change: ``ref`` (maybe empty) at ``start`` replaced by ``alt``.

    An insertion (empty ``ref``) goes between ``start - 1`` and ``start``.
    """

    contig: str
    start: int
    ref: str
    alt: str

    @property
    def end(self) -> int:
        return self.start + len(self.ref) - 1

    @property
    def kind(self) -> str:
        if self.ref and self.alt:
            if len(self.ref) == len(self.alt):
                return "snv" if len(self.ref) == 1 else "mnv"
            return "delins"
        return "deletion" if self.ref else "insertion"

    @property
    def is_indel(self) -> bool:
        return self.kind in ("deletion", "insertion")


def trim(contig: str, pos: int, ref: str, alt: str) -> Edit:
    """Drop bases shared by REF and ALT: the common suffix first, then the common prefix."""
    ref, alt = ref.upper(), alt.upper()
    while ref and alt and ref[-1] == alt[-1] and (len(ref) > 1 or len(alt) > 1):
        ref, alt = ref[:-1], alt[:-1]
    lead = 0
    while lead < min(len(ref), len(alt)) and ref[lead] == alt[lead]:
        lead += 1
    if lead == len(ref) == len(alt):  # REF == ALT: keep it as written
        return Edit(contig, pos, ref, alt)
    return Edit(contig, pos + lead, ref[lead:], alt[lead:])


class _Bases:
    """Single-base access with a small read-ahead cache (FASTA fetches are not free)."""

    CHUNK = 64

    def __init__(self, source: SequenceSource, contig: str) -> None:
        self._source, self._contig = source, contig
        self._cache: dict[int, str | None] = {}

    def __call__(self, pos: int) -> str | None:
        if pos not in self._cache:
            start = pos - self.CHUNK // 2 if pos > self.CHUNK else 1
            chunk = self._source.fetch(self._contig, start, start + self.CHUNK - 1)
            if chunk and len(chunk) == self.CHUNK:
                for i, base in enumerate(chunk.upper()):
                    self._cache.setdefault(start + i, base)
            else:  # near the edge of known sequence: one base at a time
                one = self._source.fetch(self._contig, pos, pos)
                self._cache[pos] = one.upper() if one else None
        return self._cache.get(pos)


def shift(edit: Edit, direction: int, source: SequenceSource,
          bounds: tuple[int, int] | None = None) -> tuple[Edit, bool]:
    """Move a pure insertion/deletion as far as it goes in ``direction`` (+1 right, -1 left).

    Returns the shifted edit and whether the end of the shift was seen in known sequence
    (False: it stopped at an unknown base, so the true position is not determined).
    ``bounds`` (low, high) keeps every placement inside one interval (an exon): a deletion's
    bases and both flanks of an insertion stay within it, and reaching it ends the shift.
    """
    if not edit.is_indel:
        return edit, True
    base = _Bases(source, edit.contig)
    seq = edit.ref or edit.alt
    start = edit.start
    low, high = bounds if bounds is not None else (-1, 1 << 62)
    for _ in range(MAX_SHIFT):
        if direction > 0:
            # first base after the deletion / insertion point; it must stay inside the bounds
            if start + len(edit.ref) + (0 if edit.ref else 1) > high:
                break
            nxt = base(start + len(edit.ref))
            if nxt is None:
                return _rebuilt(edit, start, seq), False
            if nxt != seq[0]:
                break
            seq, start = seq[1:] + nxt, start + 1
        else:
            if start - 1 - (0 if edit.ref else 1) < low:
                break
            prev = base(start - 1)
            if prev is None:
                return _rebuilt(edit, start, seq), False
            if prev != seq[-1]:
                break
            seq, start = prev + seq[:-1], start - 1
    return _rebuilt(edit, start, seq), True


def _rebuilt(edit: Edit, start: int, seq: str) -> Edit:
    if edit.ref:
        return replace(edit, start=start, ref=seq)
    return replace(edit, start=start, alt=seq)


def vcf_style(edit: Edit, source: SequenceSource) -> tuple[int, str, str] | None:
    """(pos, ref, alt) with the anchor base VCF needs for indels; None if it is not known."""
    if edit.ref and edit.alt:
        return edit.start, edit.ref, edit.alt
    anchor = source.fetch(edit.contig, edit.start - 1, edit.start - 1)
    if not anchor:
        return None
    return edit.start - 1, anchor + edit.ref, anchor + edit.alt
