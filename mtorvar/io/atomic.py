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
def atomic_path(path: str) -> Iterator[str]:
    """Yield the path to write to: a temp file beside ``path``, renamed over it on success and
    removed on any error. ``-`` and targets a rename must not replace are yielded as they are.
    Write failures (disk full, quota, vanished directory) become a one-line InputError.
    """
    if path == "-" or writes_in_place(path):
        try:
            yield path
        except BrokenPipeError:  # the reader went away (| head): not ours to report
            raise
        except OSError as exc:
            raise _write_error(path, exc) from None
        return
    try:
        fd, tmp = tempfile.mkstemp(prefix=".mtorvar-", suffix=".part",
                                   dir=os.path.dirname(os.path.abspath(path)))
        os.close(fd)
    except OSError as exc:
        raise InputError(f"cannot write output: {exc.strerror}", file=path,
                         hint="check that the output directory exists and is writable") from None
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):  # disk full, quota, vanished directory: not a bug
            raise _write_error(path, exc) from None
        raise


@contextmanager
def atomic_output(path: str, binary: bool = True) -> Iterator[IO[Any]]:
    """Yield a writable file; on success it replaces ``path``, on error it vanishes.

    ``-`` writes to stdout (nothing to roll back there, so the caller should render first).
    """
    mode, encoding = ("wb", None) if binary else ("w", "utf-8")
    with atomic_path(path) as target:
        if target == "-":
            stream: IO[Any] = sys.stdout.buffer if binary else sys.stdout
            yield stream
            stream.flush()
            return
        with open(target, mode, encoding=encoding) as fh:
            yield fh


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
