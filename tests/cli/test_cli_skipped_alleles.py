"""Symbolic and '*' alleles in a gene are reported with their gene and a reason, never matched."""

from __future__ import annotations

import json
from pathlib import Path

from mtorvar.cli import main

VCF = (
    "##fileformat=VCFv4.2\n##reference=GRCh38\n"
    '##ALT=<ID=DEL,Description="Deletion">\n'
    '##INFO=<ID=END,Number=1,Type=Integer,Description="End">\n'
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tT\n"
    "16\t2080000\t.\tC\t<DEL>\t.\tPASS\tEND=2081000\tGT\t0/1\n"
    "16\t2080299\t.\tC\tT,*\t.\tPASS\t.\tGT\t1/2\n"
)


def test_skipped_alleles_keep_gene_and_reason(tmp_path: Path) -> None:
    vcf = tmp_path / "sym.vcf"
    vcf.write_text(VCF)
    out = tmp_path / "r.json"
    assert main(["annotate", str(vcf), "-o", str(out), "-q"]) == 0
    variants = {v["alt"]: v for v in json.loads(out.read_text())["variants"]}
    assert set(variants) == {"<DEL>", "T", "*"}
    for alt in ("<DEL>", "*"):
        row = variants[alt]
        assert row["gene"] == "TSC2"
        assert row["skipped"]
        assert row["warnings"] == [f"not annotated: {row['skipped']}"]
        assert row["matches"] == []
        assert {p["call"] for p in row["predictions"].values()} == {"unknown"}
    assert [m["rule_id"] for m in variants["T"]["matches"]] == ["TSC2-LOF"]
