"""Keep htslib's stderr chatter away from the user while still using its messages in errors.

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
