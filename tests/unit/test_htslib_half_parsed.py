"""A record htslib failed to parse is never used: reading stops with a one-line error.

Regression: a mangled ##contig line plus a bad POS made htslib hand back a half-parsed record,
and reading on crashed the process (SIGSEGV) instead of exiting 1.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mtorvar.errors import InputError
from mtorvar.io.vcf_reader import open_vcf

BASIC = Path(__file__).resolve().parents[2] / "fixtures" / "io_basic" / "tumor_normal.vcf"


def _crashing_file(tmp_path: Path) -> Path:
    raw = BASIC.read_bytes()
    raw = raw.replace(b"##contig=<ID=1,", b"##contig=<\x8bD=1,")
    raw = raw.replace(b"1\t1000\t.\tA", b"1\t1000\r.\tA")
    path = tmp_path / "half_parsed.vcf"
    path.write_bytes(raw)
    return path


def test_reader_stops_at_htslib_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Could not parse the position"), \
            open_vcf(str(_crashing_file(tmp_path)), windows=None) as vcf:
        list(vcf.records)


def test_cli_exits_one_not_a_signal(tmp_path: Path) -> None:
    path = _crashing_file(tmp_path)
    code = ("from mtorvar.io.vcf_reader import open_vcf\n"
            "from mtorvar.errors import InputError\n"
            "try:\n"
            f"    with open_vcf({str(path)!r}, windows=None) as v: list(v.records)\n"
            "except InputError: raise SystemExit(1)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60,
                          check=False)
    assert done.returncode == 1


def test_garbled_chrom_and_gt_is_an_error_not_a_segfault(tmp_path: Path) -> None:
    # cyvcf2's iterator itself crashed on this record (undeclared, garbled CHROM and GT "p/0");
    # pysam reads the selected lines first and reports htslib's error instead
    raw = BASIC.read_bytes()
    line = (b"3\t178936091\tcosm763\tG\tA,T\t60\tPASS\tDP=80\tGT:AD:DP:AF\t0/0:40,0,0:40:0,0\t"
            b"0/1:20,15,5:40:0.375,0.125")
    assert line in raw
    bad = line.replace(b"3\t1789", b"\x13\t1789").replace(b"0/0:40", b"p/0:40")
    path = tmp_path / "garbled.vcf"
    path.write_bytes(raw.replace(line, bad))
    code = ("from mtorvar.io.vcf_reader import open_vcf\n"
            "from mtorvar.errors import InputError\n"
            "try:\n"
            f"    with open_vcf({str(path)!r}, windows=None) as v: list(v.records)\n"
            "except InputError as e:\n"
            "    assert 'GT' in e.one_line(), e.one_line()\n"
            "    raise SystemExit(1)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60,
                          check=False)
    assert done.returncode == 1, done.stderr[-500:]
