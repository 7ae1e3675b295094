"""atomic_output (whole or nothing) and FastaReference (canonical names, .fai built)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtorvar.errors import InputError
from mtorvar.io.atomic import atomic_output
from mtorvar.io.fasta import FastaReference


def test_atomic_output_replaces_on_success_and_leaves_nothing_on_error(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    with atomic_output(str(target)) as fh:
        fh.write(b"new")
    assert target.read_bytes() == b"new"
    def fail_midway() -> None:
        with atomic_output(str(target)) as out:
            out.write(b"partial")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_midway()
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_atomic_output_to_missing_directory_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError), atomic_output(str(tmp_path / "no" / "x.json")):
        pass


def test_fasta_reference_maps_names_and_builds_index(tmp_path: Path) -> None:
    fasta = tmp_path / "ref.fa"
    fasta.write_text(">chr12 test\nacgtACGTNN\nGGCC\n>chrUn_x\nAAAA\n")
    ref = FastaReference(str(fasta))
    assert (tmp_path / "ref.fa.fai").exists()
    assert ref.fetch("12", 1, 4) == "ACGT"
    assert ref.fetch("12", 9, 12) == "NNGG"
    assert ref.fetch("12", 14, 15) is None  # past the end
    assert ref.fetch("1", 1, 2) is None
    ref.close()
    with pytest.raises(InputError, match="not found"):
        FastaReference(str(tmp_path / "missing.fa"))
