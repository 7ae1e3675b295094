"""A progress line on stderr while long inputs are read.

Shown only on a terminal and never with ``--quiet``: pipelines and log files get no control
characters. The line is transient (it disappears when the input is read) and cheap: the caller
updates it every ``UPDATE_EVERY`` in-gene records, and rich's refresh thread keeps the spinner
and the elapsed time moving while the reader scans the records outside the five genes.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

LONG_INPUT_BYTES = 8 << 20  # smaller files are read in well under a second
UPDATE_EVERY = 100  # in-gene records between updates

Tick = Callable[[int], None]


def _no_tick(count: int) -> None:
    del count


def progress_wanted(path: str, quiet: bool, stream: Any) -> bool:
    """True for a long input (or stdin, whose size is unknown) when ``stream`` is a terminal."""
    if quiet:
        return False
    try:
        if not stream.isatty():
            return False
    except (AttributeError, ValueError, OSError):  # closed or replaced stderr
        return False
    if path == "-":
        return True
    try:
        return os.path.getsize(path) >= LONG_INPUT_BYTES
    except OSError:
        return False


def _terminal_copy() -> IO[str] | None:
    """A private duplicate of fd 2: the reader redirects fd 2 while htslib runs, and the
    refresh thread must neither vanish into that capture nor pollute its error text."""
    try:
        return os.fdopen(os.dup(2), "w", encoding="utf-8", errors="replace")
    except OSError:
        return None


@contextmanager
def read_progress(path: str, enabled: bool, file: IO[str] | None = None) -> Iterator[Tick]:
    """Yield ``tick(records_so_far)``; a no-op unless ``enabled``."""
    if not enabled:
        yield _no_tick
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    own = file is None
    target = _terminal_copy() if own else file
    if target is None:
        yield _no_tick
        return
    console = Console(file=target, force_terminal=True if not own else None, highlight=False)
    name = "standard input" if path == "-" else os.path.basename(path)
    columns = (SpinnerColumn(), TextColumn("reading {task.description}: "
                                           "{task.completed} in-gene record(s)"),
               TimeElapsedColumn())
    try:
        with Progress(*columns, console=console, transient=True, refresh_per_second=4) as bar:
            task = bar.add_task(name, total=None)
            yield lambda count: bar.update(task, completed=count)
    finally:
        if own:
            with contextlib.suppress(OSError):
                target.close()
