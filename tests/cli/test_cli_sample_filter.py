"""--pass-only honours the record's FILTER and each sample's own FORMAT FT."""

from __future__ import annotations

import json
from pathlib import Path

from mtorvar.cli import main

VCF = (
    "##fileformat=VCFv4.2\n##reference=GRCh38\n"
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
    '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">\n'
    '##FORMAT=<ID=FT,Number=1,Type=String,Description="Sample filter">\n'
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tR1\tR2\n"
    "16\t2080299\t.\tC\tT\t.\tPASS\t.\tGT:AD:FT\t0/1:60,40:PASS\t0/1:60,40:LowDepth\n"
)


def _states(tmp_path: Path, *extra: str) -> dict[str, str]:
    vcf = tmp_path / "ft.vcf"
    vcf.write_text(VCF)
    out = tmp_path / "r.json"
    assert main(["annotate", str(vcf), "-o", str(out), "-q", *extra]) == 0
    observations = json.loads(out.read_text())["variants"][0]["observations"]
    return {name: obs["state"] for name, obs in observations.items()}


def test_sample_ft_marks_only_that_sample_filtered(tmp_path: Path) -> None:
    assert _states(tmp_path, "--pass-only") == {"R1": "present", "R2": "filtered"}


def test_without_pass_only_ft_is_ignored(tmp_path: Path) -> None:
    assert _states(tmp_path) == {"R1": "present", "R2": "present"}
