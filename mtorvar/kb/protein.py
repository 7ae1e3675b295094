"""Protein-change notation helpers shared by the rule validator and the matcher.

Rules may write ``p.F2108L`` or ``p.Phe2108Leu``; annotations carry one-letter HGVS
(``p.Q1178*``, ``p.L1750Afs*25``). Both are reduced to one canonical one-letter form so that
an exact match is a string comparison.
"""

from __future__ import annotations

import re

THREE_TO_ONE = {
    "Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E",
    "Gly": "G", "His": "H", "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F",
    "Pro": "P", "Ser": "S", "Thr": "T", "Trp": "W", "Tyr": "Y", "Val": "V", "Sec": "U",
    "Ter": "*",
}
AMINO_ACIDS = frozenset("ACDEFGHIKLMNPQRSTVWY")
_THREE = re.compile("|".join(THREE_TO_ONE))
_SHAPE = re.compile(r"^p\.([A-Z*])([1-9][0-9]*)(.*)$")


def normalise_protein_change(text: str) -> str:
    """Canonical one-letter form: ``p.Phe2108Leu`` → ``p.F2108L``, ``p.(Q1178X)`` → ``p.Q1178*``."""
    value = text.strip()
    if value.startswith("p.(") and value.endswith(")"):
        value = "p." + value[3:-1]
    value = _THREE.sub(lambda m: THREE_TO_ONE[m.group(0)], value)
    shape = _SHAPE.match(value)
    if shape and shape.group(3) == "X":  # legacy nonsense notation
        value = f"p.{shape.group(1)}{shape.group(2)}*"
    return value.replace("fsX", "fs*")


def first_residue(text: str) -> tuple[str, int] | None:
    """Reference residue and position of a canonical protein change, or None if not parseable."""
    shape = _SHAPE.match(normalise_protein_change(text))
    if not shape:
        return None
    return shape.group(1), int(shape.group(2))


def is_valid_protein_change(text: str) -> bool:
    """A single-residue substitution, stop, synonymous, or indel written in one-letter HGVS."""
    value = normalise_protein_change(text)
    return bool(re.match(
        r"^p\.([A-Z*][1-9][0-9]*([A-Z*=?]|[A-Z]fs\*[0-9?]*|fs|del|dup|delins[A-Z*]+"
        r"|_[A-Z][1-9][0-9]*(del|dup|ins[A-Z]+|delins[A-Z*]+))|M1\?)$",
        value,
    ))
