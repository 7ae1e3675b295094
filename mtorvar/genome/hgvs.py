"""HGVS protein changes: one structured form, formatted in one-letter and three-letter code.

Kinds: ``missense`` p.F2108L, ``synonymous`` p.F2108=, ``nonsense`` p.Q1178*, ``deletion``
p.E545del / p.E545_L547del, ``duplication`` p.E545dup, ``insertion`` p.K111_L112insQ,
``delins`` p.E469delinsDK, ``frameshift`` p.L1750Afs*25 (``fs*?`` without a new stop),
``extension`` p.*1808Qext*? (stop lost), ``start_lost`` p.M1?.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ProteinKind = Literal["missense", "synonymous", "nonsense", "deletion", "duplication",
                      "insertion", "delins", "frameshift", "extension", "start_lost"]

THREE_LETTER = {
    "A": "Ala", "R": "Arg", "N": "Asn", "D": "Asp", "C": "Cys", "Q": "Gln", "E": "Glu",
    "G": "Gly", "H": "His", "I": "Ile", "L": "Leu", "K": "Lys", "M": "Met", "F": "Phe",
    "P": "Pro", "S": "Ser", "T": "Thr", "W": "Trp", "Y": "Tyr", "V": "Val", "*": "Ter",
    "U": "Sec", "X": "Xaa",
}
ONE_LETTER = {three.upper(): one for one, three in THREE_LETTER.items()}


@dataclass(frozen=True, slots=True)
class ProteinChange:
    """A protein consequence. ``ref`` holds the residues from ``start`` to ``end``.

    For insertions ``start``/``end`` are the flanking residues and ``ref`` is their pair;
    ``alt`` is what is inserted or substituted (first new residue for frameshift/extension);
    ``new_stop`` counts the positions to the new stop (None: no stop found, written ``?``).
    """

    kind: ProteinKind
    start: int
    end: int
    ref: str
    alt: str = ""
    new_stop: int | None = None


def _aa(residues: str, three: bool) -> str:
    return "".join(THREE_LETTER[r] for r in residues) if three else residues


def _span(change: ProteinChange, three: bool) -> str:
    first = f"{_aa(change.ref[0], three)}{change.start}"
    if change.end == change.start:
        return first
    return f"{first}_{_aa(change.ref[-1], three)}{change.end}"


def format_protein(change: ProteinChange, *, three: bool = False) -> str:
    """``p.`` string in one-letter (default) or three-letter code."""
    stop = "?" if change.new_stop is None else str(change.new_stop)
    ter = _aa("*", three)
    kind = change.kind
    if kind == "start_lost":
        return f"p.{_aa('M', three)}1?"
    if kind == "missense":
        return f"p.{_span(change, three)}{_aa(change.alt, three)}"
    if kind == "synonymous":
        return f"p.{_span(change, three)}="
    if kind == "nonsense":
        return f"p.{_span(change, three)}{ter}"
    if kind in ("deletion", "duplication"):
        return f"p.{_span(change, three)}{'del' if kind == 'deletion' else 'dup'}"
    if kind == "insertion":
        return f"p.{_span(change, three)}ins{_aa(change.alt, three)}"
    if kind == "delins":
        return f"p.{_span(change, three)}delins{_aa(change.alt, three)}"
    if kind == "frameshift":
        return f"p.{_span(change, three)}{_aa(change.alt[:1], three)}fs{ter}{stop}"
    return f"p.{_span(change, three)}{_aa(change.alt[:1], three)}ext{ter}{stop}"
