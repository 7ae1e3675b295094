"""Upstream CSQ/ANN/BCSQ parsing (real files where available) and comparison."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtorvar.engine.normalise import split_record
from mtorvar.genome.transcripts import gene_windows
from mtorvar.genome.upstream import (
    compare,
    one_letter,
    parse_ann,
    parse_bcsq,
    upstream_annotations,
    with_agreement,
)
from mtorvar.io.vcf_reader import open_vcf
from mtorvar.models.variant import Allele, Annotation
from mtorvar.models.vcf import VcfHeader


def _annotation(p: str, c: str = "c.3140A>G") -> Annotation:
    return Annotation(gene="PIK3CA", transcript="NM_006218.4", hgvs_p=p, hgvs_c=c,
                      consequence=("missense_variant",))


def test_vep_csq_from_real_pcgr_file(shared_dir: Path) -> None:
    path = shared_dir / "testdata/real/A_annotated/pcgr/tumor_sample.BRCA.pcgr_vep85.grch37.vcf.gz"
    with open_vcf(str(path), windows=gene_windows("GRCh37")) as vcf:
        header = vcf.header
        alleles = [a for r in vcf.records for a in split_record(r, r.chrom)]
    assert header.csq_fields is not None
    assert header.csq_fields[:4] == ("Allele", "Consequence", "IMPACT", "SYMBOL")
    (allele,) = [a for a in alleles if a.pos == 178952085]
    (up,) = upstream_annotations(allele, header)
    assert up.source == "VEP CSQ"
    assert up.transcript == "ENST00000263967"
    assert up.hgvs_p == "p.His1047Arg"
    assert up.hgvs_c == "c.3140A>G"
    assert compare(up, _annotation("p.H1047R")) == []
    marked, warnings = with_agreement(up, _annotation("p.H1047L"))
    assert marked.agrees is False
    assert "p.H1047R" in warnings[0]
    assert "p.H1047L" in warnings[0]


def test_csq_field_order_at_scale(shared_dir: Path) -> None:
    path = shared_dir / "testdata/real/C_tricky/bcftools/split-vep.vcf"
    with open_vcf(str(path), windows=None) as vcf:
        header = vcf.header
        records = list(vcf.records)
    assert header.csq_fields is not None
    assert "HGVSp" in header.csq_fields
    assert len(records) == 802
    assert all("CSQ" in r.info for r in records[:50])


def test_snpeff_ann_header_order(shared_dir: Path) -> None:
    path = shared_dir / "testdata/real/C_tricky/cyvcf2/test_gt_bases.vcf.gz"
    with open_vcf(str(path), windows=None) as vcf:
        assert vcf.header.ann_fields is not None
        assert vcf.header.ann_fields[:3] == ("Allele", "Annotation", "Annotation_Impact")
        assert any("ANN" in r.info for r in vcf.records)


def _allele(info: dict[str, str]) -> Allele:
    return Allele(chrom="12", contig="12", pos=25398284, ref="C", alt="T", allele_index=1,
                  info=info)


def test_ann_picks_the_mane_transcript() -> None:
    ann = ("T|missense_variant|MODERATE|KRAS|ENSG1|transcript|ENST00000256078.4|protein_coding|"
           "2/6|c.35G>A|p.Gly12Asp,T|missense_variant|MODERATE|KRAS|ENSG1|transcript|"
           "ENST00000311936.3|protein_coding|2/5|c.35G>A|p.Gly12Asp")
    up = parse_ann(_allele({"ANN": ann}), VcfHeader(path="x", samples=()))
    assert up is not None
    assert up.transcript == "ENST00000311936.3"
    assert one_letter(up.hgvs_p) == "p.G12D"


def test_bcsq() -> None:
    bcsq = "missense|KRAS|ENST00000311936|protein_coding|-|12G>12D|25398284C>T"
    up = parse_bcsq(_allele({"BCSQ": bcsq}), VcfHeader(path="x", samples=(), has_bcsq=True))
    assert up is not None
    assert up.hgvs_p == "p.G12D"
    assert up.consequence == ("missense_variant",)


@pytest.mark.parametrize(("text", "expected"), [
    ("ENSP00000263967.3:p.His1047Arg", "p.H1047R"),
    ("p.(Gly12Asp)", "p.G12D"),
    ("p.Leu120%3D", "p.L120="),
    ("p.Gln1178Ter", "p.Q1178*"),
    ("p.Leu1750AlafsTer25", "p.L1750Afs*25"),
    ("p.L120L", "p.L120="),
])
def test_one_letter(text: str, expected: str) -> None:
    assert one_letter(text) == expected
