"""Canonical contig names: ``chr1``, ``1``, ``NC_000001.10``/``.11`` all become ``1``."""

from __future__ import annotations

import re
from functools import lru_cache

_NAMED = {"X": "X", "Y": "Y", "M": "MT", "MT": "MT"}
# RefSeq accessions of the primary assembly chromosomes (GRCh37 and GRCh38 share the numbers).
_REFSEQ = re.compile(r"^NC_0000(\d\d)\.\d+$")
_REFSEQ_SPECIAL = {"23": "X", "24": "Y"}
_MT_REFSEQ = {"NC_012920.1", "NC_001807.4"}


@lru_cache(maxsize=4096)
def canonical_contig(name: str) -> str | None:
    """``1``..``22``, ``X``, ``Y``, ``MT`` for a primary chromosome name, else None."""
    text = name.strip()
    if text in _MT_REFSEQ:
        return "MT"
    refseq = _REFSEQ.match(text)
    if refseq:
        number = str(int(refseq.group(1)))
        return _REFSEQ_SPECIAL.get(number, number if 1 <= int(number) <= 22 else None)
    bare = text[3:] if text.lower().startswith("chr") else text
    upper = bare.upper()
    if upper in _NAMED:
        return _NAMED[upper]
    if bare.isascii() and bare.isdigit() and 1 <= int(bare) <= 22 and not bare.startswith("0"):
        return bare
    return None
