"""Outputs that a temp-file-and-rename must never replace: devices, FIFOs, symlinks."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from mtorvar.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "example"


@pytest.mark.parametrize("fmt", ["json", "vcf"])
def test_dev_null_stays_a_device(fmt: str) -> None:
    before = os.stat("/dev/null")
    assert main(["annotate", str(EXAMPLE / "multiregion.vcf"), "-o", "/dev/null", "-O", fmt,
                 "-q"]) == 0
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_symlinked_output_is_written_through_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert main(["annotate", str(EXAMPLE / "multiregion.vcf"), "-o", str(link), "-q"]) == 0
    assert link.is_symlink()
    assert real.read_text().startswith("{")


def test_fifo_output_is_streamed(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    reader_fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        chunks: list[bytes] = []
        import threading

        def drain() -> None:
            fd = os.open(fifo, os.O_RDONLY)
            with os.fdopen(fd, "rb") as handle:
                chunks.append(handle.read())

        thread = threading.Thread(target=drain)
        thread.start()
        assert main(["annotate", str(EXAMPLE / "multiregion.vcf"), "-o", str(fifo), "-q"]) == 0
        thread.join(timeout=30)
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)
        assert b"schema_version" in b"".join(chunks)
    finally:
        os.close(reader_fd)
