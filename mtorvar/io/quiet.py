"""Keep htslib's stderr chatter away from the user, use its messages in errors, and stop
before a record htslib failed to parse can crash the process.

htslib (inside cyvcf2 and pysam) writes warnings and errors straight to file descriptor 2. We
redirect fd 2 to a temporary file only while htslib code runs (never across a ``yield``, so
other stages' stderr output is untouched) and quote the last ``[E::...]`` line in our errors.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


class HtslibLog:
    """What htslib wrote while captured."""

    def __init__(self) -> None:
        self._final = ""
        self._tmp: IO[bytes] | None = None
        self._checked = 0  # bytes of the log already looked at by new_error()

    def new_error(self) -> bool:
        """Has htslib written an ``[E::`` line since the last call? Cheap when it has not.

        htslib hands back a record even when it failed to parse it; touching that record, or
        reading on, can crash the process, so readers ask after every record and stop.
        """
        if self._tmp is None:
            return False
        size = os.fstat(self._tmp.fileno()).st_size
        if size == self._checked:
            return False
        self._tmp.seek(self._checked)
        fresh = self._tmp.read(size - self._checked)
        self._checked = size
        return b"[E::" in fresh

    @property
    def text(self) -> str:
        """Everything captured so far (readable inside the ``with`` block too)."""
        if self._tmp is None:
            return self._final
        self._tmp.seek(0)
        return self._tmp.read(1 << 20).decode("utf-8", "replace")

    def last_error(self) -> str | None:
        """The last ``[E::...]`` line (or the last line at all), shortened for one-line errors."""
        lines = [ln.strip() for ln in self.text.splitlines() if ln.strip()]
        errors = [ln for ln in lines if ln.startswith("[E::")]
        pick = errors[-1] if errors else (lines[-1] if lines else None)
        if pick is None:
            return None
        return pick if len(pick) <= 200 else pick[:197] + "..."


@contextmanager
def captured_stderr() -> Iterator[HtslibLog]:
    """Redirect fd 2 into a temp file for the duration of the block."""
    log = HtslibLog()
    with contextlib.suppress(OSError, ValueError):  # a broken stderr must not stop reading
        sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no fd 2 at all (daemonised): nothing to protect
        yield log
        return
    with tempfile.TemporaryFile() as tmp:
        os.dup2(tmp.fileno(), 2)
        log._tmp = tmp
        try:
            yield log
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            log._final = log.text
            log._tmp = None


def stop_on_htslib_error(log: HtslibLog) -> None:
    """htslib returns a record even when it failed to parse it, and touching that record or
    reading on can crash the process (seen with a mangled header plus a bad POS): stop at the
    first error it reports, before the record is used."""
    if log.new_error():
        raise RuntimeError("htslib reported an error for this record")


def pysam_precheck(tmp: Path) -> tuple[int, str | None]:
    """(records read, htslib's error) from a first pass with pysam over the batch file.

    Some malformed records (an undeclared, garbled CHROM plus an unparseable GT) crash cyvcf2's
    iterator outright (SIGSEGV) where pysam raises; the selected lines are few, so reading them
    twice is cheap insurance. A header pysam cannot open is left to the cyvcf2 pass to report.
    """
    import pysam

    count = 0
    with captured_stderr() as log:
        try:
            vf = pysam.VariantFile(str(tmp))
        except (OSError, ValueError):
            return 0, None
        try:
            for _ in vf:
                count += 1
        except (OSError, ValueError):
            # pysam also stops on what htslib only warns about (a duplicated FORMAT tag), which
            # cyvcf2 reads; only a real parse error ([E::...]) is a rejection
            return count, log.last_error() if "[E::" in log.text else None
        finally:
            vf.close()
    return count, None
