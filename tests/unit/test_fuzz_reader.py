"""Mutated inputs end in records or a one-line InputError, never another exception."""

from __future__ import annotations

import gzip
from pathlib import Path

import pysam
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtorvar.engine.normalise import split_record
from mtorvar.errors import InputError
from mtorvar.genome.transcripts import gene_windows
from mtorvar.io.vcf_reader import open_vcf

BASIC = (Path(__file__).resolve().parents[2] / "fixtures" / "io_basic" /
         "tumor_normal.vcf").read_bytes()
WINDOWS = gene_windows(None)
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _outcome(path: Path, windows: object = WINDOWS) -> str:
    try:
        with open_vcf(str(path), windows=windows) as vcf:  # type: ignore[arg-type]
            for record in vcf.records:
                split_record(record, record.chrom)
    except InputError as exc:
        line = exc.one_line()
        assert "\n" not in line
        assert line
        return "error"
    return "ok"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@SETTINGS
@given(data=st.data())
def test_bit_flips_in_text(tmp_path: Path, data: st.DataObject) -> None:
    raw = bytearray(BASIC)
    for _ in range(data.draw(st.integers(1, 8))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] ^= 1 << data.draw(st.integers(0, 7))
    path = _write(tmp_path, "flip.vcf", bytes(raw))
    _outcome(path)
    _outcome(path, None)


@SETTINGS
@given(cut=st.integers(0, 400), flip=st.integers(0, 10_000))
def test_truncated_and_flipped_bgzip(tmp_path: Path, cut: int, flip: int) -> None:
    src = _write(tmp_path, "src.vcf", BASIC)
    pysam.tabix_compress(str(src), str(tmp_path / "x.vcf.gz"), force=True)
    raw = bytearray((tmp_path / "x.vcf.gz").read_bytes())
    raw = raw[: max(1, len(raw) - cut)]
    raw[flip % len(raw)] ^= 0x40
    _outcome(_write(tmp_path, "bad.vcf.gz", bytes(raw)))


@SETTINGS
@given(lines=st.lists(st.text(min_size=0, max_size=60), max_size=6),
       keep=st.integers(0, 20))
def test_random_lines_after_a_real_header(tmp_path: Path, lines: list[str], keep: int) -> None:
    header = b"\n".join(BASIC.splitlines()[:keep]) + b"\n"
    body = "\n".join(lines).encode("utf-8", "surrogateescape")
    _outcome(_write(tmp_path, "rand.vcf", header + body))


def test_line_endings(tmp_path: Path) -> None:
    assert _outcome(_write(tmp_path, "crlf.vcf", BASIC.replace(b"\n", b"\r\n"))) == "ok"
    assert _outcome(_write(tmp_path, "cr.vcf", BASIC.replace(b"\n", b"\r"))) == "ok"


def test_structural_damage(tmp_path: Path) -> None:
    lines = BASIC.splitlines()
    no_chrom = b"\n".join(ln for ln in lines if not ln.startswith(b"#CHROM")) + b"\n"
    assert _outcome(_write(tmp_path, "nochrom.vcf", no_chrom)) == "error"
    dup = BASIC.replace(b"NORMAL\tTUMOR", b"TUMOR\tTUMOR")
    assert _outcome(_write(tmp_path, "dup.vcf", dup)) == "error"
    latin = BASIC.replace(b"NORMAL\tTUMOR", b"NORM\xe9\tTUMOR")
    assert _outcome(_write(tmp_path, "latin.vcf", latin)) == "ok"
    assert _outcome(_write(tmp_path, "empty.vcf", b"")) == "error"
    assert _outcome(_write(tmp_path, "gzempty.vcf.gz", gzip.compress(b""))) == "error"
    huge = BASIC.replace(b"DP=80", b"DP=80;CSQ=" + b"A" * 2_000_000)
    assert _outcome(_write(tmp_path, "huge.vcf", huge)) == "ok"
    body = [ln for ln in lines if not ln.startswith(b"#")]
    head = [ln for ln in lines if ln.startswith(b"#")]
    unsorted = b"\n".join(head + body[::-1]) + b"\n"
    assert _outcome(_write(tmp_path, "unsorted.vcf", unsorted)) == "ok"
    absurd = BASIC.replace(b"\n7\t5000\t", b"\n3\t99999999999999999999\t")
    _outcome(_write(tmp_path, "absurd.vcf", absurd))
    short = BASIC.replace(b"0/1:20,15,5:40:0.375,0.125", b"")
    assert _outcome(_write(tmp_path, "short.vcf", short)) == "error"
