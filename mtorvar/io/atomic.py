"""Write an output whole or not at all: a temp file beside the target, renamed on success."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from mtorvar.errors import InputError


@contextmanager
def atomic_output(path: str, binary: bool = True) -> Iterator[IO[Any]]:
    """Yield a writable file; on success it replaces ``path``, on error it vanishes.

    ``-`` writes to stdout (nothing to roll back there, so the caller should render first).
    """
    if path == "-":
        stream: IO[Any] = sys.stdout.buffer if binary else sys.stdout
        yield stream
        stream.flush()
        return
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".mtorvar-", suffix=".part", dir=directory)
    except OSError as exc:
        raise InputError(f"cannot write output: {exc.strerror}", file=path,
                         hint="check that the output directory exists and is writable") from None
    try:
        with os.fdopen(fd, "wb" if binary else "w", encoding=None if binary else "utf-8") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
