"""The whole CLI (``mtorvar annotate``) on real, independently annotated files.

Runs ``mtorvar.cli.main`` in-process on files under ../shared/testdata/real/A_annotated and
checks each reported variant against the truth that came with the file:

* vcf2maf test.grch37/38 and TCGA-B5-A0JV-01 VCFs against their VEP MAFs: gene, HGVSc,
  HGVSp_Short and the consequence list, exactly.
* GATK PIK3CA SNV/indel sets against Oncotator/Funcotator MAFs: SNVs exactly; indels by class
  (frameshift vs in frame) and by a protein change being given.
* The VEP-annotated PCGR file: every ``upstream`` entry on the MANE transcript agrees.
* The same variants on GRCh37 and GRCh38 files: identical gene, hgvs_c, hgvs_p, consequence.

Agreement figures are printed (``pytest -s``); every disagreement is listed in the failure.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from mtorvar.cli import main
from mtorvar.models.base import GENES

Variant = dict[str, Any]


def real(shared: Path, rel: str) -> Path:
    return shared / "testdata" / "real" / "A_annotated" / rel


def annotate(path: Path, tmp_path: Path) -> list[Variant]:
    out = tmp_path / (path.name + ".json")
    assert main(["annotate", str(path), "-o", str(out), "--quiet"]) == 0, path
    variants: list[Variant] = json.loads(out.read_text())["variants"]
    return variants


def maf_rows(path: Path) -> list[dict[str, str]]:
    lines = [ln for ln in path.read_text().splitlines() if ln and not ln.startswith("#")]
    header = lines[0].split("\t")
    rows = [dict(zip(header, ln.split("\t"), strict=False)) for ln in lines[1:]]
    return [r for r in rows if r["Hugo_Symbol"] in GENES]


def find(variants: list[Variant], row: dict[str, str]) -> Variant | None:
    """The reported variant for a MAF row (MAF: no anchor base, ``-`` for an empty allele)."""
    start = int(row.get("Start_Position") or row["Start_position"])
    ref, alt = row["Reference_Allele"], row["Tumor_Seq_Allele2"]
    chrom = row["Chromosome"].removeprefix("chr")
    for v in variants:
        if v["chrom"].removeprefix("chr") != chrom:
            continue
        if ref == "-" and v["pos"] == start and v["ref"] == v["alt"][:1] and v["alt"][1:] == alt:
            return v
        if alt == "-" and v["pos"] == start - 1 and v["alt"] == v["ref"][:1] \
                and v["ref"][1:] == ref:
            return v
        if "-" not in (ref, alt) and v["pos"] == start and (v["ref"], v["alt"]) == (ref, alt):
            return v
    return None


def normalise_truth(text: str) -> str:
    """Oncotator protein strings to one-letter HGVS (``p.P2P`` -> ``p.P2=``)."""
    same = re.fullmatch(r"p\.([A-Z*])(\d+)([A-Z*])", text)
    if same and same.group(1) == same.group(3):
        return f"p.{same.group(1)}{same.group(2)}="
    return text


VEP_MAFS = (
    ("vcf2maf/test.grch37.vcf", "vcf2maf/test_output.vep_isoforms.grch37.maf"),
    ("vcf2maf/test.grch38.vcf", "vcf2maf/test_grch38_output.custom_annotated.grch38.maf"),
    ("vcf2maf/TCGA-B5-A0JV-01.ucec.grch37.vcf", "vcf2maf/TCGA-B5-A0JV-01.ucec.grch37.maf"),
)


@pytest.mark.parametrize(("vcf", "maf"), VEP_MAFS)
def test_vep_maf_truth_exact(shared_dir: Path, tmp_path: Path, vcf: str, maf: str) -> None:
    variants = annotate(real(shared_dir, vcf), tmp_path)
    rows = maf_rows(real(shared_dir, maf))
    problems: list[str] = []
    for row in rows:
        v = find(variants, row)
        truth = (row["Hugo_Symbol"], row["HGVSc"], row["HGVSp_Short"] or None,
                 row["Consequence"].split(","))
        ours = None if v is None else (v["gene"], v["hgvs_c"], v["hgvs_p"], v["consequence"])
        if ours != truth:
            problems.append(f"{row['Start_Position']} truth={truth} ours={ours}")
    print(f"\n{vcf}: {len(rows) - len(problems)}/{len(rows)} agree with VEP exactly")
    assert rows
    assert not problems, problems
    assert len(variants) == len(rows)  # nothing reported that VEP did not see in these genes


FUNCOTATOR = (
    ("gatk_funcotator/PIK3CA_SNPS.hg19.vcf",
     "gatk_funcotator/PIK3CA_SNPS.oncotatorAnnotated.hg19.maf"),
    ("gatk_funcotator/PIK3CA_INDELS.hg19.vcf",
     "gatk_funcotator/PIK3CA_INDELS.oncotatorAnnotated.hg19.maf"),
    ("gatk_funcotator/regressionTestVariantSet1.hg19.vcf",
     "gatk_funcotator/regressionTestVariantSet1_expected.funcotator.hg19.maf"),
)
_CLASS = {"Frame_Shift_Del": "frameshift_variant", "Frame_Shift_Ins": "frameshift_variant",
          "In_Frame_Del": "inframe", "In_Frame_Ins": "inframe"}


def _our_class(v: Variant) -> str:
    if "frameshift_variant" in v["consequence"]:
        return "frameshift_variant"
    return "inframe" if v["hgvs_p"] else "none"


@pytest.mark.parametrize(("vcf", "maf"), FUNCOTATOR)
def test_funcotator_truth(shared_dir: Path, tmp_path: Path, vcf: str, maf: str) -> None:
    variants = annotate(real(shared_dir, vcf), tmp_path)
    problems: list[str] = []
    checked = 0
    for row in maf_rows(real(shared_dir, maf)):
        v = find(variants, row)
        key = f"{row.get('Start_position') or row['Start_Position']} " \
              f"{row['Reference_Allele']}>{row['Tumor_Seq_Allele2']}"
        if v is None:
            problems.append(f"{key}: not reported")
            continue
        if row["Variant_Type"] == "SNP":
            checked += 1
            if v["hgvs_p"] != normalise_truth(row["Protein_Change"]):
                problems.append(f"{key}: truth={row['Protein_Change']} ours={v['hgvs_p']}")
        elif row["Variant_Classification"] in _CLASS:
            checked += 1
            want = _CLASS[row["Variant_Classification"]]
            if _our_class(v) != want:
                problems.append(f"{key}: truth={want} ours={v['consequence']} {v['hgvs_p']}")
    print(f"\n{vcf}: {checked - len(problems)}/{checked} agree (SNV exact, indel class)")
    assert checked
    assert not problems, problems


def test_vep_csq_upstream_agrees_on_mane(shared_dir: Path, tmp_path: Path) -> None:
    path = real(shared_dir, "pcgr/tumor_sample.BRCA.pcgr_vep85.grch37.vcf.gz")
    variants = annotate(path, tmp_path)
    entries = [(v, u) for v in variants for u in v.get("upstream") or []]
    disagreements = [f"{v['id']} {u}" for v, u in entries if not u["agrees"]]
    print(f"\nVEP CSQ on MANE: {len(entries) - len(disagreements)}/{len(entries)} agree")
    assert entries
    assert not disagreements
    for v, u in entries:  # VEP writes three-letter p.: ours beside it must be the same
        assert u["hgvs_p"] == v["hgvs_p3"]
        assert u["hgvs_c"] == v["hgvs_c"]


BUILD_PAIRS = (
    ("vcf2maf/test.grch37.vcf", "vcf2maf/test.grch38.vcf"),
    ("pcgr/T001-BRCA.grch37.vcf.gz", "pcgr/T001-BRCA.grch38.vcf.gz"),
    ("pcgr/T001-COAD.grch37.vcf.gz", "pcgr/T001-COAD.grch38.vcf.gz"),
)


@pytest.mark.parametrize(("grch37", "grch38"), BUILD_PAIRS)
def test_same_variants_same_names_on_both_builds(shared_dir: Path, tmp_path: Path,
                                                 grch37: str, grch38: str) -> None:
    def names(rel: str) -> list[tuple[str, str, str | None, tuple[str, ...], tuple[str, ...]]]:
        variants = annotate(real(shared_dir, rel), tmp_path)
        return sorted((v["gene"], v["hgvs_c"], v["hgvs_p"], tuple(v["consequence"]),
                       tuple(v["domains"])) for v in variants)

    old, new = names(grch37), names(grch38)
    assert old
    assert old == new
