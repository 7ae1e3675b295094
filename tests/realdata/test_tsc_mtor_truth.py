"""MTOR, TSC1 and TSC2 annotation against an independent truth set, on both builds.

``fixtures/truth_tsc_mtor/variants.tsv`` holds variants whose genomic coordinate and HGVS c./p.
on the MANE (or same-CDS) transcript are stated together by public sources written by others
(phenopacket-store via VariantValidator, VariantValidator's own tests, genome-nexus VEP mocks,
hmftools/transvar, ClinVar-derived fixtures, MSK-IMPACT and TCGA MAF rows); each row names its
source. Nothing in it was produced by mtorvar. This test writes one small VCF per build from
the table, runs the whole pipeline and compares gene, c. and p.

Comparison rules (conventions, not leniency):
* p. is compared in one-letter form without parentheses (``p.(Arg611Gln)`` = ``p.R611Q``;
  ``Ter`` = ``*``). Frameshifts: first residue, new residue and ``fs*N`` length when the
  source gives one (``p.Met1998fs`` states no length).
* ``p.?`` (VariantValidator's answer for intronic and splice-site changes) agrees with no
  protein change from mtorvar: both say the protein outcome is not predicted.
* An empty hgvs_p in the table means the source states none: only c. is compared.

Figures are printed (``pytest -s``); every disagreement is listed with its reason.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from mtorvar.models.base import Build
from mtorvar.models.options import AnnotateOptions
from mtorvar.models.report import VariantOut

TRUTH = Path(__file__).resolve().parents[2] / "fixtures" / "truth_tsc_mtor" / "variants.tsv"
GENE_OF_CHROM = {"1": "MTOR", "9": "TSC1", "16": "TSC2"}
CONTIG_LENGTHS = {
    "GRCh37": {"1": 249250621, "9": 141213431, "16": 90354753},
    "GRCh38": {"1": 248956422, "9": 138394717, "16": 90338345},
}
THREE_TO_ONE = {
    "Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E",
    "Gly": "G", "His": "H", "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F",
    "Pro": "P", "Ser": "S", "Thr": "T", "Trp": "W", "Tyr": "Y", "Val": "V", "Ter": "*",
    "Sec": "U",
}
FRAMESHIFT = re.compile(r"^p\.([A-Z*])(\d+)([A-Z*]?)fs(?:\*(\d+))?$")


@dataclass(frozen=True)
class TruthRow:
    source: str
    build: Build
    chrom: str
    pos: int
    ref: str
    alt: str
    transcript: str
    hgvs_c: str
    hgvs_p: str

    @property
    def key(self) -> tuple[str, int, str, str]:
        return self.chrom, self.pos, self.ref, self.alt

    def label(self) -> str:
        return (f"{self.build} {self.chrom}:{self.pos} {self.ref}>{self.alt} "
                f"{GENE_OF_CHROM[self.chrom]} {self.hgvs_c} {self.hgvs_p or '(no p. stated)'}")


def truth_rows() -> list[TruthRow]:
    lines = [ln for ln in TRUTH.read_text().splitlines() if ln and not ln.startswith("#")]
    rows = []
    for rec in csv.DictReader(lines, delimiter="\t"):
        build = rec["build"]
        assert build in ("GRCh37", "GRCh38"), rec
        rows.append(TruthRow(rec["source"], build, rec["chrom"],  # type: ignore[arg-type]
                             int(rec["pos"]), rec["ref"], rec["alt"], rec["transcript"],
                             rec["hgvs_c"], rec["hgvs_p"]))
    return rows


def one_letter(hgvs_p: str | None) -> str | None:
    """``p.(Arg611Gln)`` -> ``p.R611Q``; ``Ter``/``X`` -> ``*``; accession prefix dropped."""
    if not hgvs_p:
        return None
    text = hgvs_p.split(":")[-1].replace("(", "").replace(")", "")
    for three, one in THREE_TO_ONE.items():
        text = text.replace(three, one)
    return text.replace("X", "*")


def protein_agrees(theirs: str, ours: str | None) -> tuple[bool, str]:
    if not theirs:
        return True, ""
    want = one_letter(theirs)
    if want in ("p.?", "p.="):
        return ours is None or ours == want, f"source {theirs}: no protein change predicted"
    have = one_letter(ours)
    fs_want = FRAMESHIFT.match(want or "")
    fs_have = FRAMESHIFT.match(have or "")
    if fs_want and fs_have:
        same = fs_want.group(1, 2) == fs_have.group(1, 2)
        if fs_want.group(3):
            same = same and fs_want.group(3) == fs_have.group(3)
        if fs_want.group(4):
            same = same and fs_want.group(4) == fs_have.group(4)
        return same, "frameshift residue/new residue/fs*N"
    return want == have, "protein change"


def write_vcf(path: Path, build: Build, rows: list[TruthRow]) -> None:
    lines = ["##fileformat=VCFv4.2", f"##reference={build}"]
    lines += [f"##contig=<ID={c},length={n},assembly={build}>"
              for c, n in CONTIG_LENGTHS[build].items()]
    lines.append("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO")
    keys = sorted({r.key for r in rows}, key=lambda k: (int(k[0]), k[1], k[2], k[3]))
    lines += [f"{c}\t{p}\t.\t{ref}\t{alt}\t.\tPASS\t." for c, p, ref, alt in keys]
    path.write_text("\n".join(lines) + "\n")


def annotate(tmp_path: Path, build: Build, rows: list[TruthRow]) -> dict[tuple, VariantOut]:
    from mtorvar.pipeline import build_report

    vcf = tmp_path / f"truth.{build}.vcf"
    write_vcf(vcf, build, rows)
    report = build_report(AnnotateOptions(inputs=(str(vcf),), genome=build, quiet=True))
    return {(v.chrom, v.pos, v.ref, v.alt): v for v in report.variants}


def compare(row: TruthRow, got: VariantOut | None) -> str | None:
    """None when everything agrees, else the reason."""
    if got is None:
        return "not in the report"
    gene = GENE_OF_CHROM[row.chrom]
    if got.gene != gene:
        return f"gene {got.gene} (want {gene})"
    if got.hgvs_c != row.hgvs_c:
        return f"hgvs_c {got.hgvs_c} (want {row.hgvs_c})"
    ok, what = protein_agrees(row.hgvs_p, got.hgvs_p)
    if not ok:
        return f"{what}: hgvs_p {got.hgvs_p} (want {row.hgvs_p})"
    return None


def test_truth_table_is_well_formed() -> None:
    rows = truth_rows()
    assert len(rows) >= 30
    genes = Counter(GENE_OF_CHROM[r.chrom] for r in rows)
    assert set(genes) == {"MTOR", "TSC1", "TSC2"}
    assert {r.build for r in rows} == {"GRCh37", "GRCh38"}
    for row in rows:
        assert row.source, row
        assert row.hgvs_c.startswith("c."), row
        assert set(row.ref + row.alt) <= set("ACGT"), row


def test_protein_normalisation() -> None:
    assert one_letter("NP_000539.2:p.(Arg611Gln)") == "p.R611Q"
    assert one_letter("p.(Tyr553Ter)") == "p.Y553*"
    assert protein_agrees("p.(Met276ValfsTer61)", "p.M276Vfs*61")[0]
    assert not protein_agrees("p.(Met276ValfsTer61)", "p.M276Vfs*60")[0]
    assert protein_agrees("p.Met1998fs", "p.M1998Vfs*2")[0]
    assert protein_agrees("p.?", None)[0]
    assert not protein_agrees("p.?", "p.M122Dfs*4")[0]


def test_tsc_mtor_truth_agreement(tmp_path: Path) -> None:
    rows = truth_rows()
    results: dict[Build, tuple[int, list[str]]] = {}
    for build in ("GRCh37", "GRCh38"):
        subset = [r for r in rows if r.build == build]
        got = annotate(tmp_path, build, subset)
        problems = [f"{r.label()} [{r.source}]: {why}" for r in subset
                    if (why := compare(r, got.get(r.key))) is not None]
        results[build] = (len(subset), problems)
    total = sum(n for n, _ in results.values())
    disagreements = [p for _, probs in results.values() for p in probs]
    per_gene = Counter((r.build, GENE_OF_CHROM[r.chrom]) for r in rows)
    print(f"\nTSC/MTOR truth: {total - len(disagreements)}/{total} agree "
          f"({dict(sorted(per_gene.items()))})")
    for line in disagreements:
        print(f"  disagrees: {line}")
    assert not disagreements, "\n".join(disagreements)


@pytest.mark.parametrize("build", ["GRCh37", "GRCh38"])
def test_cli_in_process_matches_truth_for_a_frameshift(tmp_path: Path, build: Build) -> None:
    # The CLI path (not just build_report) on the TSC1 rows of each build.
    import json

    from mtorvar.cli import main

    rows = [r for r in truth_rows() if r.build == build and r.chrom == "9"]
    vcf, out = tmp_path / "in.vcf", tmp_path / "out.json"
    write_vcf(vcf, build, rows)
    code = main(["annotate", str(vcf), "-o", str(out), "--genome", build, "--quiet"])
    assert code in (0, None)
    variants = {(v["chrom"], v["pos"], v["ref"], v["alt"]): v
                for v in json.loads(out.read_text())["variants"]}
    for row in rows:
        got = variants[row.key]
        assert got["hgvs_c"] == row.hgvs_c, row.label()
        assert protein_agrees(row.hgvs_p, got["hgvs_p"])[0], row.label()
