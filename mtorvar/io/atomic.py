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
        try:
            yield stream
            stream.flush()
        except BrokenPipeError:  # the reader went away (| head): not ours to report
            raise
        except OSError as exc:
            raise _write_error(path, exc) from None
        return
    if writes_in_place(path):
        try:
            with open(path, "wb" if binary else "w",
                      encoding=None if binary else "utf-8") as fh:
                yield fh
        except OSError as exc:
            raise _write_error(path, exc) from None
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
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):  # disk full, quota, vanished directory: not a bug
            raise _write_error(path, exc) from None
        raise


def writes_in_place(path: str) -> bool:
    """True for targets a rename must never replace: devices (/dev/null), FIFOs, symlinks.

    Renaming a temp file over /dev/null (we may run as root) or /dev/stdout would replace the
    device or link itself; such targets are written directly, which is also what they mean.
    """
    return os.path.islink(path) or (os.path.exists(path) and not os.path.isfile(path))


def _write_error(path: str, exc: OSError) -> InputError:
    reason = exc.strerror or str(exc)
    return InputError(f"cannot write output: {reason}", file="standard output" if path == "-"
                      else path, hint="check free space and permissions; nothing was written"
                      if path != "-" else "check where standard output goes")
