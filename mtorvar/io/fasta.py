"""``--reference FASTA`` as a ``SequenceSource`` (canonical contig names, upper case)."""

from __future__ import annotations

import os
from typing import Any

from mtorvar.errors import InputError
from mtorvar.io.quiet import captured_stderr


class FastaReference:
    """Sequence from an indexed FASTA (plain or bgzipped); the .fai is built when missing."""

    def __init__(self, path: str) -> None:
        import pysam

        from mtorvar.genome.contigs import canonical_contig

        self.path = path
        if not os.path.exists(path):
            raise InputError("reference FASTA not found", file=path,
                             hint="check the --reference path")
        with captured_stderr() as log:
            try:
                self._fasta: Any = pysam.FastaFile(path)
            except (OSError, ValueError) as exc:
                failed: str | None = log.last_error() or str(exc)
            else:
                failed = None
        if failed is not None:
            raise InputError(f"cannot open the reference FASTA or build its index ({failed})",
                             file=path, hint="the FASTA must be plain or bgzipped, and its "
                             "directory writable for the .fai (or run samtools faidx)")
        self._names: dict[str, str] = {}
        for name in self._fasta.references:
            canon = canonical_contig(name)
            if canon is not None:
                self._names.setdefault(canon, name)
        self._lengths = dict(zip(self._fasta.references, self._fasta.lengths, strict=True))

    def fetch(self, contig: str, start: int, end: int) -> str | None:
        """Bases start..end (1-based, inclusive) of a canonical contig; None when unknown."""
        name = self._names.get(contig)
        if name is None or start < 1 or end < start or end > self._lengths[name]:
            return None
        with captured_stderr():
            try:
                seq = self._fasta.fetch(name, start - 1, end)
            except (OSError, ValueError, KeyError):
                return None
        return seq.upper() if len(seq) == end - start + 1 else None

    def close(self) -> None:
        self._fasta.close()
