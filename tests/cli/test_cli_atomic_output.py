"""Never a partial output: a failed run leaves no ``-o`` file and an existing one untouched."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from tests.cli.conftest import EXAMPLE, CliRunner

VCF = EXAMPLE / "multiregion.vcf"
FORMATS = ("json", "tsv", "html", "vcf", "bcf")
EXTENSIONS = {"json": "json", "tsv": "tsv", "html": "html", "vcf": "vcf", "bcf": "bcf"}
BEFORE = b"output of an earlier run\n"


def _out(tmp_path: Path, fmt: str) -> Path:
    return tmp_path / "out" / f"report.{EXTENSIONS[fmt]}"


def _files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("simulated renderer failure")


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    (tmp_path / "out").mkdir()
    return tmp_path / "out"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("existing", [False, True], ids=["fresh", "existing"])
def test_bad_input_leaves_output_alone(cli: CliRunner, tmp_path: Path, out_dir: Path, fmt: str,
                                       existing: bool) -> None:
    bad = tmp_path / "bad.vcf"
    bad.write_bytes(b"##fileformat=VCFv4.2\n##INFO=<ID=X\n")  # the header never ends
    out = _out(tmp_path, fmt)
    if existing:
        out.write_bytes(BEFORE)
    result = cli("annotate", bad, "-o", out, "-O", fmt)
    result.assert_one_line_error(1)
    assert _files(out_dir) == ([out.name] if existing else [])  # no temp file left behind
    if existing:
        assert out.read_bytes() == BEFORE


RENDERERS = {"json": "mtorvar.report.formats.render_report",
             "tsv": "mtorvar.report.formats.render_report",
             "html": "mtorvar.report.formats.render_report",
             "vcf": "mtorvar.io.vcf_writer.annotate_record",
             "bcf": "mtorvar.io.vcf_writer.annotate_record"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("existing", [False, True], ids=["fresh", "existing"])
def test_renderer_failure_leaves_output_alone(cli: CliRunner, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch, fmt: str,
                                              existing: bool) -> None:
    monkeypatch.setattr(RENDERERS[fmt], _boom)
    (tmp_path / "out").mkdir()
    out = _out(tmp_path, fmt)
    if existing:
        out.write_bytes(BEFORE)
    result = cli("annotate", VCF, "-o", out)
    result.assert_one_line_error(4)
    assert _files(out.parent) == ([out.name] if existing else [])
    if existing:
        assert out.read_bytes() == BEFORE


def _disk_full(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("fmt", FORMATS)
def test_failure_after_writing_everything_removes_the_temp_file(
        cli: CliRunner, tmp_path: Path, out_dir: Path, monkeypatch: pytest.MonkeyPatch,
        fmt: str) -> None:
    """The whole temp file is written, then the rename fails (disk full): exit 1, no file."""
    # every format (VCF/BCF included) renames through mtorvar.io.atomic
    monkeypatch.setattr("mtorvar.io.atomic.os.replace", _disk_full)
    out = _out(tmp_path, fmt)
    out.write_bytes(BEFORE)
    result = cli("annotate", VCF, "-o", out)
    result.assert_one_line_error(1)
    assert "cannot write output" in result.err
    assert "No space left on device" in result.err
    assert _files(out_dir) == [out.name]
    assert out.read_bytes() == BEFORE


@pytest.mark.parametrize("fmt", FORMATS)
def test_success_replaces_an_existing_output(cli: CliRunner, tmp_path: Path, out_dir: Path,
                                             fmt: str) -> None:
    out = _out(tmp_path, fmt)
    out.write_bytes(BEFORE)
    result = cli("annotate", VCF, "-o", out, "-q")
    assert result.code == 0, result.err
    assert out.read_bytes() != BEFORE
    assert out.stat().st_size > 100
    assert _files(out_dir) == [out.name]


def test_full_stdout_is_an_input_error_not_a_bug() -> None:
    """Writing to /dev/full: exit 1 and one line, not 'internal error'."""
    import subprocess
    import sys

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    for fmt in ("json", "vcf"):
        with open("/dev/full", "wb") as full:
            proc = subprocess.run([sys.executable, "-m", "mtorvar", "annotate", str(VCF), "-q",
                                   "-O", fmt], stdout=full, stderr=subprocess.PIPE, check=False,
                                  timeout=120)
        assert proc.returncode == 1, proc.stderr
        err = proc.stderr.decode()
        assert err.startswith("mtorvar: error: standard output: cannot write output")
        assert err.count("\n") == 1
