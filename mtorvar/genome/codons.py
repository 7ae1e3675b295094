"""The genetic code, translation, and which codon a genomic position falls in."""

from __future__ import annotations

from mtorvar.genome.transcripts import models_at
from mtorvar.models.base import Build

_BASES = "TCAG"
_AMINO = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"
CODON_TABLE: dict[str, str] = {
    a + b + c: _AMINO[16 * i + 4 * j + k]
    for i, a in enumerate(_BASES)
    for j, b in enumerate(_BASES)
    for k, c in enumerate(_BASES)
}
_COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")


def revcomp(seq: str) -> str:
    """Reverse complement of a DNA string."""
    return seq.translate(_COMPLEMENT)[::-1]


def translate(seq: str, *, to_stop: bool = False) -> str:
    """Translate DNA codon by codon; unknown codons give ``X``; a trailing partial codon is dropped.

    With ``to_stop`` translation ends after (and includes) the first stop ``*``.
    """
    out: list[str] = []
    for i in range(0, len(seq) - 2, 3):
        aa = CODON_TABLE.get(seq[i : i + 3].upper(), "X")
        out.append(aa)
        if to_stop and aa == "*":
            break
    return "".join(out)


def codon_at(build: Build, contig: str, pos: int) -> tuple[str, int, int] | None:
    """(gene, codon number, position 1..3 in the codon) of a coding base, else None.

    Used to merge phased SNVs that fall in the same codon before annotating them together.
    """
    for model in models_at(build, contig, pos):
        cds_pos = model.cds_position(pos)
        if cds_pos is not None:
            return model.gene, (cds_pos - 1) // 3 + 1, (cds_pos - 1) % 3 + 1
    return None
