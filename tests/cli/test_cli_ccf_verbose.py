"""--ccf-import (PyClone-VI / CONIPHER) and --verbose through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtorvar.cli import main

IMPORTS = Path(__file__).resolve().parents[2] / "fixtures" / "het_imports"
VCF = (
    "##fileformat=VCFv4.2\n##reference=GRCh38\n"
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
    '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">\n'
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tR1\tR2\n"
    "16\t2080299\t.\tC\tT\t.\tPASS\t.\tGT:AD\t0/1:20,80\t0/1:75,25\n"
)


@pytest.mark.parametrize(("table", "r1_ccf"), [("pyclone_vi.tsv", 0.98),
                                               ("conipher_input.tsv", 1.0)])
def test_imported_ccf_reaches_the_report(tmp_path: Path, table: str, r1_ccf: float) -> None:
    vcf = tmp_path / "in.vcf"
    vcf.write_text(VCF)
    out = tmp_path / "r.json"
    assert main(["annotate", str(vcf), "--ccf-import", str(IMPORTS / table), "-o", str(out),
                 "-q"]) == 0
    report = json.loads(out.read_text())
    obs = report["variants"][0]["observations"]["R1"]
    assert obs["ccf"] == pytest.approx(r1_ccf)
    assert "CCF from" in obs["note"]
    assert report["parameters"]["ccf_import"].endswith(table)


def test_verbose_lists_warnings_and_quiet_silences(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    vcf = tmp_path / "in.vcf"
    vcf.write_text(VCF)
    assert main(["annotate", str(vcf), "-o", str(tmp_path / "r.json"), "-v"]) == 0
    err = capsys.readouterr().err
    assert "warning: sample roles guessed" in err
    assert main(["annotate", str(vcf), "-o", str(tmp_path / "r.json"), "-q", "-v"]) == 0
    assert capsys.readouterr().err == ""
