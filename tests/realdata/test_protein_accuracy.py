"""Protein changes from ``annotate_allele`` against independent annotations of real files.

Truth sources (../shared/testdata/real/A_annotated, read in place):

* vcf2maf test.grch37/38 + TCGA-B5-A0JV-01: VEP MAFs (HGVSp_Short on the MANE transcripts).
* gatk_funcotator PIK3CA_SNPS / PIK3CA_INDELS / regressionTestVariantSet1: Oncotator/Funcotator
  (their indel notation is not HGVS: compared on class + first affected residue).
* maftools cancerhotspots_v2_GRCh37: SNVs and single-codon MNVs exact (other rows are labels).
* oncokb example MAFs, both builds; refdata test_vectors_PIK3CA_GRCh37_oncotator (15 SNVs).

Agreement figures are printed (``pytest -s``) and asserted: protein change >= 99% for coding
SNVs/single-codon MNVs, indel class + first residue >= 95%, VEP HGVS indels exact.

Known, explained disagreements (kept so a regression shows up as a new one):
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from mtorvar.genome.codons import codon_at
from mtorvar.genome.consequence import annotate_allele
from mtorvar.genome.sequence import bundled
from mtorvar.models.base import GENES, Build

# (source, variant) -> why our answer differs from the truth and why ours is right.
EXPLAINED: dict[tuple[str, str], str] = {
    ("Oncotator/Funcotator indels", "PIK3CA_INDELS:3:178948159:->GA"):
        ("PIK3CA exon 20 ends at 178948164 in a GAGAG run: the 3' shift reaches the exon end and"
         " PIK3CA intronic bases are not bundled, so hgvs_p is None with a warning (never "
         "guessed); with --reference it is named"),
    ("Oncotator/Funcotator indels", "PIK3CA_INDELS:3:178948160:GA>-"):
        ("same exon-20-end GAGAG run as the insertion above: shift needs unbundled intronic "
         "bases, hgvs_p None with a warning"),
    ("Oncotator/Funcotator indels", "PIK3CA_INDELS:3:178948156:->GAATT"):
        ("Oncotator writes the malformed 'p.-976fs'; the insertion follows c.2928, the last base"
         " of codon 976, so residue 977 is the first changed"),
    ("Oncotator/Funcotator indels", "PIK3CA_INDELS:3:178916619:TCC>-"):
        ("P2-P3 is a PP repeat: deleting one P is p.P3del by the HGVS 3' rule (Oncotator "
         "p.2_3PP>P)"),
    ("Oncotator/Funcotator indels", "PIK3CA_INDELS:3:178916619:TC>-"):
        "c.6_7del leaves codon 2 CCC = P unchanged; first changed residue is P3 (p.P3fs)",
    ("Oncotator/Funcotator indels", "PIK3CA_INDELS:3:178916621:CA>-"):
        "c.8_9del leaves codon 3 CCG = P unchanged; first changed residue is 4",
    ("Oncotator/Funcotator indels", "PIK3CA_INDELS:3:178916622:A>-"):
        "c.9del leaves codon 3 CCC = P unchanged; first changed residue is 4",
    ("Oncotator/Funcotator indels", "PIK3CA_INDELS:3:178916619:TCCA>-"):
        "c.6_9del leaves codon 2 CCC = P; first changed residue is P3",
    ("Oncotator/Funcotator indels", "PIK3CA_INDELS:3:178916622:ACGA>-"):
        "c.9_12del leaves codon 3 CCC = P; first changed residue is 4",
    ("Oncotator/Funcotator indels", "PIK3CA_INDELS:3:178916619:TCCACGA>-"):
        "c.6_12del leaves codon 2 CCC = P; first changed residue is P3",
    ("Oncotator/Funcotator indels", "PIK3CA_INDELS:3:178916622:ACGACCA>-"):
        "c.9_15del leaves codon 3 CCA = P; first changed residue is 4",
    ("Oncotator/Funcotator indels", "regressionTestVariantSet1_expected:3:178936090:TGAGCA>-"):
        ("deleting EQ from T-E-Q-E-K: the 3'-most equivalent is p.Q546_E547del (Oncotator "
         "p.EQ545del)"),
    ("Oncotator/Funcotator indels", "regressionTestVariantSet1_expected:3:178936091:GAGCAG>-"):
        "same protein deletion as above: p.Q546_E547del by the 3' rule",
    ("Oncotator/Funcotator indels", "regressionTestVariantSet1_expected:3:178936090:->GAG"):
        ("GAG inserted before E545 (GAG) duplicates it: p.E545dup (Oncotator p.544_545insE)"),
}


@dataclass
class Tally:
    name: str
    agreed: int = 0
    total: int = 0
    not_evaluable: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)

    def record(self, ok: bool, what: str) -> None:
        self.total += 1
        self.agreed += ok
        if not ok:
            self.disagreements.append(what)

    @property
    def unexplained(self) -> list[str]:
        return [d for d in self.disagreements if (self.name, d.split(" ")[0]) not in EXPLAINED]

    def report(self) -> str:
        return (f"{self.name}: {self.agreed}/{self.total} agreed, "
                f"{len(self.not_evaluable)} not evaluable")


def real(shared: Path, rel: str) -> Path:
    return shared / "testdata" / "real" / "A_annotated" / rel


def maf_rows(path: Path) -> list[dict[str, str]]:
    lines = [ln for ln in path.read_text().splitlines() if ln and not ln.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, ln.split("\t"), strict=False)) for ln in lines[1:]]


def vcf_rows(path: Path) -> list[tuple[str, int, str, str]]:
    out: list[tuple[str, int, str, str]] = []
    for line in path.read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        chrom, pos, _id, ref, alts = line.split("\t")[:5]
        out.extend((chrom, int(pos), ref, alt) for alt in alts.split(","))
    return out


def to_vcf(build: Build, chrom: str, start: int, ref: str, alt: str,  # noqa: PLR0917
           anchors: dict[tuple[str, int], str] | None = None) -> tuple[int, str, str] | None:
    """MAF-style alleles (``-`` for none) to anchored VCF alleles; None if the anchor is unknown."""
    ref, alt = ("" if ref == "-" else ref), ("" if alt == "-" else alt)
    if ref and alt:
        return start, ref, alt
    anchor_pos = start if not ref else start - 1  # MAF insertion Start is the base before
    base = bundled(build).fetch(chrom.removeprefix("chr"), anchor_pos, anchor_pos)
    if not base and anchors:
        base = anchors.get((chrom.removeprefix("chr"), anchor_pos))
    if not base:
        return None
    return anchor_pos, base + ref, base + alt


def normalise_truth(text: str) -> str:
    """Truth protein strings to our one-letter HGVS: ``P2P`` -> ``p.P2=``, ``Ter`` -> ``*``."""
    text = text.strip()
    text = text if text.startswith("p.") else "p." + text
    text = text.replace("Ter", "*").replace("X", "*") if re.search(r"\d(Ter|X)$", text) else text
    multi = re.fullmatch(r"p\.(\d+)_(\d+)([A-Z]+)>([A-Z]+)", text)  # Oncotator p.545_546EQ>SK
    if multi:
        a, b, ref, alt = multi.groups()
        return f"p.{ref[0]}{a}_{ref[-1]}{b}delins{alt}"
    same = re.fullmatch(r"p\.([A-Z*])(\d+)([A-Z*])", text)
    if same and same.group(1) == same.group(3):
        return f"p.{same.group(1)}{same.group(2)}="
    return text


def single_codon(build: Build, chrom: str, pos: int, ref: str, alt: str) -> bool:
    """An SNV, or an MNV whose changed bases all fall in one codon."""
    changed = [pos + i for i, (a, b) in enumerate(zip(ref, alt, strict=True)) if a != b]
    found = [codon_at(build, chrom, p) for p in changed]
    codons = {(c[0], c[1]) if c else None for c in found}
    return len(codons) == 1 and None not in codons


def compare_exact(tally: Tally, build: Build, chrom: str, pos: int, ref: str,  # noqa: PLR0917
                  alt: str, truth: str) -> None:
    ann = annotate_allele(chrom, pos, ref, alt, build)
    ours = ann.hgvs_p if ann else None
    tally.record(ours == normalise_truth(truth),
                 f"{chrom}:{pos}:{ref}>{alt} truth={truth} ours={ours}")


INDEL_CLASS = {"Frame_Shift_Del": "frameshift", "Frame_Shift_Ins": "frameshift",
               "In_Frame_Del": "inframe", "In_Frame_Ins": "inframe"}


def our_indel_class(build: Build, chrom: str, pos: int, ref: str,
                    alt: str) -> tuple[str, int | None]:
    ann = annotate_allele(chrom, pos, ref, alt, build)
    if ann is None or ann.hgvs_p is None:
        return "none", None
    if "frameshift_variant" in ann.consequence:
        return "frameshift", ann.protein_start
    if any(t in ann.consequence for t in ("inframe_insertion", "inframe_deletion",
                                          "protein_altering_variant", "missense_variant",
                                          "stop_gained", "synonymous_variant")):
        return "inframe", ann.protein_start
    return "other", ann.protein_start


def first_residue(text: str) -> int | None:
    found = re.search(r"(\d+)", text)
    return int(found.group(1)) if found else None


# ---------------------------------------------------------------- collectors, one per source

def vep_mafs(shared: Path) -> tuple[Tally, Tally]:
    """vcf2maf MAFs: SNV/MNV protein changes, and VEP's HGVS for coding indels (exact)."""
    snv, indel = Tally("vcf2maf VEP SNV/MNV"), Tally("vcf2maf VEP indels (HGVS exact)")
    for rel, build in (("vcf2maf/test_output.vep_isoforms.grch37.maf", "GRCh37"),
                       ("vcf2maf/test_grch38_output.custom_annotated.grch38.maf", "GRCh38"),
                       ("vcf2maf/TCGA-B5-A0JV-01.ucec.grch37.maf", "GRCh37")):
        for row in maf_rows(real(shared, rel)):
            if row["Hugo_Symbol"] not in GENES:
                continue
            vcf = to_vcf(build, row["Chromosome"], int(row["Start_Position"]),  # type: ignore[arg-type]
                         row["Reference_Allele"], row["Tumor_Seq_Allele2"])
            key = f"{build}:{row['Chromosome']}:{row['Start_Position']}"
            if vcf is None:
                (indel if "-" in (row["Reference_Allele"], row["Tumor_Seq_Allele2"]) else snv
                 ).not_evaluable.append(f"{key} anchor base unknown")
                continue
            ann = annotate_allele(row["Chromosome"], *vcf, build)  # type: ignore[arg-type]
            assert ann is not None, key
            truth_p = row["HGVSp_Short"] or None
            if len(vcf[1]) == len(vcf[2]):
                snv.record(ann.hgvs_p == truth_p, f"{key} truth={truth_p} ours={ann.hgvs_p}")
            else:  # HGVS c. and p. both exact (an intronic one must get no protein change)
                ok = ann.hgvs_p == truth_p and ann.hgvs_c == row["HGVSc"]
                indel.record(ok, f"{key} truth={row['HGVSc']} {truth_p} "
                                 f"ours={ann.hgvs_c} {ann.hgvs_p}")
    return snv, indel


def funcotator(shared: Path) -> tuple[Tally, Tally]:
    """Oncotator/Funcotator PIK3CA (+ regression set): SNV exact; indel class + first residue."""
    snv, indel = Tally("Oncotator/Funcotator SNV"), Tally("Oncotator/Funcotator indels")
    pairs = (("PIK3CA_SNPS.oncotatorAnnotated.hg19.maf", "PIK3CA_SNPS.hg19.vcf"),
             ("PIK3CA_INDELS.oncotatorAnnotated.hg19.maf", "PIK3CA_INDELS.hg19.vcf"),
             ("regressionTestVariantSet1_expected.funcotator.hg19.maf",
              "regressionTestVariantSet1.hg19.vcf"))
    for maf, vcf in pairs:
        anchors = {(c.removeprefix("chr"), p): r[0] for c, p, r, _a in
                   vcf_rows(real(shared, "gatk_funcotator/" + vcf))}
        for row in maf_rows(real(shared, "gatk_funcotator/" + maf)):
            if row["Hugo_Symbol"] not in GENES:
                continue
            start = int(row.get("Start_position") or row["Start_Position"])
            chrom, truth = row["Chromosome"], row["Protein_Change"]
            conv = to_vcf("GRCh37", chrom, start, row["Reference_Allele"],
                          row["Tumor_Seq_Allele2"], anchors)
            key = f"{maf.split('.')[0]}:{chrom}:{start}:{row['Reference_Allele']}>" \
                  f"{row['Tumor_Seq_Allele2']}"
            if conv is None:
                indel.not_evaluable.append(f"{key} anchor base unknown")
                continue
            if row["Variant_Type"] in ("SNP", "DNP", "TNP", "ONP"):
                compare_exact(snv, "GRCh37", chrom, *conv, truth)
                continue
            want = INDEL_CLASS.get(row["Variant_Classification"])
            if want is None:  # Splice_Site rows carry no protein truth
                indel.not_evaluable.append(f"{key} {row['Variant_Classification']}: no protein")
                continue
            got, residue = our_indel_class("GRCh37", chrom, *conv)
            indel.record(got == want and residue == first_residue(truth),
                         f"{key} truth={want} {truth} ours={got} {residue}")
    return snv, indel


def hotspots(shared: Path) -> Tally:
    tally = Tally("cancerhotspots v2 SNV/single-codon MNV")
    for line in real(shared, "maftools/cancerhotspots_v2_GRCh37.tsv").read_text().splitlines():
        chrom, pos, ref, alt, gene, _cls, change = line.split("\t")[:7]
        if gene not in GENES or "-" in (ref, alt) or len(ref) != len(alt):
            continue
        if not single_codon("GRCh37", chrom, int(pos), ref, alt):
            tally.not_evaluable.append(f"{chrom}:{pos}:{ref}>{alt} spans codons ({change})")
            continue
        compare_exact(tally, "GRCh37", chrom, int(pos), ref, alt, change)
    return tally


def oncokb(shared: Path) -> Tally:
    tally = Tally("oncokb example MAFs")
    for rel, build in (("oncokb/example_maf.grch37.txt", "GRCh37"),
                       ("oncokb/example_maf.grch38.txt", "GRCh38")):
        for row in maf_rows(real(shared, rel)):
            if row["Hugo_Symbol"] not in GENES or not row["Start_Position"]:
                continue
            conv = to_vcf(build, row["Chromosome"], int(row["Start_Position"]),  # type: ignore[arg-type]
                          row["Reference_Allele"], row["Tumor_Seq_Allele2"])
            assert conv is not None
            compare_exact(tally, build, row["Chromosome"], *conv, row["HGVSp_Short"])  # type: ignore[arg-type]
    return tally


def refdata_vectors(shared: Path) -> Tally:
    tally = Tally("refdata PIK3CA Oncotator test vectors (SNVs)")
    path = shared / "refdata" / "tables" / "test_vectors_PIK3CA_GRCh37_oncotator.tsv"
    for row in maf_rows(path):
        if row["Variant_Type"] != "SNP":
            continue
        compare_exact(tally, "GRCh37", row["Chromosome"], int(row["Start_position"]),
                      row["Reference_Allele"], row["Tumor_Seq_Allele2"], row["Protein_Change"])
    return tally


# ---------------------------------------------------------------------------------- the tests

def _check(tally: Tally, minimum: float) -> None:
    explained = len(tally.disagreements) - len(tally.unexplained)
    print(f"\n{tally.report()}; {explained} explained disagreements")
    assert tally.total > 0, f"{tally.name}: nothing evaluated"
    assert not tally.unexplained, f"{tally.name}: unexplained disagreements {tally.unexplained}"
    assert (tally.agreed + explained) / tally.total >= minimum


def test_vep_snvs_and_indels_exact(shared_dir: Path) -> None:
    snv, indel = vep_mafs(shared_dir)
    _check(snv, 0.99)
    assert snv.agreed == snv.total
    _check(indel, 1.0)
    assert indel.agreed == indel.total  # E469delinsDK both builds; MTOR intronic del: no p.


def test_funcotator_snvs_exact(shared_dir: Path) -> None:
    snv, _indel = funcotator(shared_dir)
    _check(snv, 0.99)


def test_funcotator_indels_class_and_first_residue(shared_dir: Path) -> None:
    _snv, indel = funcotator(shared_dir)
    _check(indel, 0.95)
    assert indel.agreed / indel.total >= 0.8  # raw agreement before explained HGVS differences


def test_cancerhotspots_snvs_and_single_codon_mnvs(shared_dir: Path) -> None:
    tally = hotspots(shared_dir)
    _check(tally, 0.99)
    assert tally.total >= 180


def test_oncokb_examples_both_builds(shared_dir: Path) -> None:
    _check(oncokb(shared_dir), 1.0)


def test_refdata_oncotator_vectors(shared_dir: Path) -> None:
    tally = refdata_vectors(shared_dir)
    _check(tally, 1.0)
    assert tally.total == 15


@pytest.mark.parametrize(("build", "contig", "pos", "ref", "alt"), [
    ("GRCh37", "1", 11290178, "TA", "T"), ("GRCh38", "1", 11230121, "TA", "T")])
def test_mtor_intronic_deletion_has_no_protein_change(  # noqa: PLR0917
        shared_dir: Path, build: Build, contig: str,
                                                      pos: int, ref: str, alt: str) -> None:
    ann = annotate_allele(contig, pos, ref, alt, build)
    assert ann is not None
    assert ann.hgvs_p is None
    assert ann.consequence == ("intron_variant",)
    assert ann.hgvs_c == "c.2779+803del"
