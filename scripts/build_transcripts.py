#!/usr/bin/env python3
"""Regenerate ``mtorvar/data/`` (transcript models + genomic sequence) from ../shared/refdata.

Reads the reference tables and FASTA files, checks them (CDS translates to the protein, lengths,
exon spans, genomic sequence spliced at the exons reproduces the cDNA, checks.tsv re-run where
the facts are local), and writes:

* ``mtorvar/data/transcripts.json.gz`` — one compact model per gene x build plus the plus-strand
  genomic sequence slices the package can serve;
* ``mtorvar/data/provenance.json`` and ``PROVENANCE.md`` — source files with sha256, the checks
  and their results, and the decisions taken (MANE spans, block offsets).

Usage: ``python scripts/build_transcripts.py [--refdata DIR] [--out DIR]``. Exits non-zero when
any check fails, so stale or inconsistent data cannot be shipped silently.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtorvar.genome.codons import revcomp, translate  # noqa: E402

GENES = {  # gene -> (MANE accession, transcript FASTA stem, CDS FASTA, protein FASTA)
    "MTOR": ("NM_004958.4", "MTOR.ENST00000361445_Ensembl_GRCh38spliced.transcript.fa",
             "MTOR.ENST00000361445_Ensembl_GRCh38spliced.cds.fa",
             "MTOR.ENST00000361445_Ensembl_GRCh38spliced.protein.fa"),
    "TSC1": ("NM_000368.5", "TSC1.NM_000368.4.transcript.fa", "TSC1.cds.fa",
             "TSC1.NM_000368.4.protein.fa"),
    "TSC2": ("NM_000548.5", "TSC2.NM_000548.3.transcript.fa", "TSC2.cds.fa",
             "TSC2.NM_000548.3.protein.fa"),
    "PIK3CA": ("NM_006218.4", "PIK3CA.ENST00000263967.3_GENCODEv19.transcript.fa",
               "PIK3CA.ENST00000263967.3_GENCODEv19.cds.fa",
               "PIK3CA.ENST00000263967.3_GENCODEv19.protein.fa"),
    "KRAS": ("NM_004985.5", "KRAS.NM_004985.5.transcript.fa", "KRAS.NM_004985.5.cds.fa",
             "KRAS.NM_004985.5.protein.fa"),
}
BUILDS = ("GRCh37", "GRCh38")


class Checks:
    """Collects named checks; the build fails if any FAILs."""

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []

    def add(self, gene: str, build: str, name: str, expected: object, observed: object) -> None:
        result = "PASS" if expected == observed else "FAIL"
        self.rows.append({"gene": gene, "build": build, "check": name, "expected": str(expected),
                          "observed": str(observed), "result": result})

    def info(self, gene: str, build: str, name: str, observed: object) -> None:
        self.rows.append({"gene": gene, "build": build, "check": name, "expected": "",
                          "observed": str(observed), "result": "INFO"})

    @property
    def failed(self) -> list[dict[str, str]]:
        return [r for r in self.rows if r["result"] == "FAIL"]


def read_fasta(path: Path) -> tuple[str, str]:
    lines = path.read_text().splitlines()
    return lines[0][1:], "".join(x.strip() for x in lines[1:] if not x.startswith(">")).upper()


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def exon_table(refdata: Path) -> dict[tuple[str, str], list[list[int]]]:
    """(gene, build) -> [[g_start, g_end, tx_start, tx_end], ...] in transcript order."""
    out: dict[tuple[str, str], list[list[int]]] = {}
    for row in read_tsv(refdata / "tables" / "exons.tsv"):
        out.setdefault((row["gene"], row["build"]), []).append(
            [int(row["g_start"]), int(row["g_end"]), int(row["tx_start"]), int(row["tx_end"])])
    return out


def load_genomic(refdata: Path) -> dict[str, dict[str, tuple[int, str]]]:
    """gene -> build -> (plus-strand start, plus-strand sequence) where refdata has it."""
    out: dict[str, dict[str, tuple[int, str]]] = {}
    mtor_header, mtor = read_fasta(next((refdata / "genomic").glob("MTOR_GRCh38_*.fa")))
    start38 = int(re.search(r"chr1:(\d+)-", mtor_header).group(1))  # type: ignore[union-attr]
    out["MTOR"] = {"GRCh38": (start38, mtor)}
    for gene, fname in (("TSC1", "TSC1.LRG_486.genomic.fa"), ("TSC2", "TSC2.LRG_487.genomic.fa")):
        header, seq = read_fasta(refdata / "genomic" / fname)
        spans = {b: (int(s), st) for b, s, st in
                 re.findall(r"(GRCh3[78]) chr\w+:(\d+)-\d+\(([+-])\)", header)}
        out[gene] = {}
        for build, (start, strand) in spans.items():
            # LRG records are in gene orientation: minus-strand genes are reverse-complemented.
            out[gene][build] = (start, revcomp(seq) if strand == "-" else seq)
    return out


def spliced(seq_start: int, seq: str, exons: list[list[int]], strand: str) -> str | None:
    parts = []
    for g_start, g_end, _t0, _t1 in exons:
        if g_start < seq_start or g_end > seq_start + len(seq) - 1:
            return None
        part = seq[g_start - seq_start : g_end - seq_start + 1]
        parts.append(revcomp(part) if strand == "-" else part)
    return "".join(parts)


def mane_spans(refdata: Path, offsets: dict[str, int]) -> dict[str, dict[str, list[int]]]:
    """gene -> build -> [start, end] of the MANE Select transcript (GRCh37 by block offset)."""
    out: dict[str, dict[str, list[int]]] = {}
    for row in read_tsv(refdata / "tables" / "mane_v1.5.tsv"):
        if row["MANE_status"] != "MANE Select":
            continue
        start, end = int(row["chr_start"]), int(row["chr_end"])
        off = offsets[row["symbol"]]
        out[row["symbol"]] = {"GRCh38": [start, end], "GRCh37": [start + off, end + off]}
    return out


def model_cdna(gene: str, row: dict[str, str], refdata: Path, checks: Checks) -> tuple[str, str]:
    """The cDNA cut to the model's exons (TSC1's LRG transcript is 12 nt longer at 5')."""
    _acc, tx_file, cds_file, prot_file = GENES[gene]
    _h, tx = read_fasta(refdata / "sequences" / tx_file)
    _h, cds = read_fasta(refdata / "sequences" / cds_file)
    _h, protein = read_fasta(refdata / "sequences" / prot_file)
    build = row["build"]
    cds_tx_start, tx_len = int(row["cds_tx_start"]), int(row["tx_length"])
    offset = tx.find(cds) - (cds_tx_start - 1)
    checks.add(gene, build, "CDS FASTA found once in cDNA FASTA", 1, tx.count(cds))
    if offset:
        checks.info(gene, build, "cDNA FASTA trimmed at 5' to the model's exon 1 (nt)", offset)
    cdna = tx[offset : offset + tx_len]
    checks.add(gene, build, "cDNA length == tx_length", tx_len, len(cdna))
    model_cds = cdna[cds_tx_start - 1 : int(row["cds_tx_end"])]
    checks.add(gene, build, "cDNA[cds_tx_start..cds_tx_end] == CDS FASTA", True, model_cds == cds)
    checks.add(gene, build, "CDS length incl stop = 3*(aa+1)", 3 * (len(protein) + 1), len(cds))
    checks.add(gene, build, "protein length", int(row["protein_length"]), len(protein))
    tr = translate(cds)
    checks.add(gene, build, "translation == protein FASTA + single stop", True, tr == protein + "*")
    checks.add(gene, build, "starts with M", "M", tr[:1])
    return cdna, protein


def check_exons(gene: str, row: dict[str, str], exons: list[list[int]], checks: Checks) -> None:
    build = row["build"]
    checks.add(gene, build, "n_exons", int(row["n_exons"]), len(exons))
    checks.add(gene, build, "exon lengths sum == tx_length", int(row["tx_length"]),
               sum(e[1] - e[0] + 1 for e in exons))
    contiguous = all(exons[i][3] + 1 == exons[i + 1][2] for i in range(len(exons) - 1))
    checks.add(gene, build, "exon tx spans contiguous", True, contiguous)
    starts = ",".join(str(e[0]) for e in exons)
    checks.add(gene, build, "exons.tsv starts == transcripts.tsv exon_starts_tx_order",
               row["exon_starts_tx_order"], starts)
    ordered = exons if row["strand"] == "+" else exons[::-1]
    checks.add(gene, build, "exons ordered and non-overlapping", True,
               all(ordered[i][1] < ordered[i + 1][0] for i in range(len(ordered) - 1)))


def genomic_position(exons: list[list[int]], strand: str, tx_pos: int) -> int | None:
    for g_start, g_end, t0, t1 in exons:
        if t0 <= tx_pos <= t1:
            return g_start + (tx_pos - t0) if strand == "+" else g_end - (tx_pos - t0)
    return None


def rerun_refdata_checks(refdata: Path, models: dict[str, Any], checks: Checks) -> None:
    """Re-run the checks of tables/checks.tsv whose facts are local; the rest are logged."""
    for row in read_tsv(refdata / "tables" / "checks.tsv"):
        gene, build, name = row["gene"], row["build"], row["check"]
        builds = BUILDS if build == "both" else (build,)
        observed = [_recheck(name, models[gene], b, row["expected"]) for b in builds]
        if observed[0] is None:
            checks.info(gene, build, f"checks.tsv (not re-runnable offline; was {row['result']}): "
                        f"{name}", row["observed"])
            continue
        for b, obs in zip(builds, observed, strict=True):
            checks.add(gene, b, f"checks.tsv: {name}", row["expected"], obs)


def _recheck(name: str, gene_model: dict[str, Any], build: str, expected: str) -> str | None:
    m = gene_model["builds"][build]
    cdna, cds_start = gene_model["cdna"], gene_model["cds_start"]
    cds = cdna[cds_start - 1 : gene_model["cds_end"]]
    protein = gene_model["protein"]
    simple = {
        "CDS length incl stop = 3*(aa+1)": str(len(cds)),
        "translation ends with single stop": str(translate(cds).count("*") == 1
                                                 and translate(cds).endswith("*")),
        "protein length": str(len(protein)),
        "starts with M": str(protein.startswith("M")),
    }
    if name in simple:
        return simple[name]
    if name.startswith("c.1 GRCh37 - GRCh38"):
        return str(gene_model["builds"]["GRCh37"]["c1"] - gene_model["builds"]["GRCh38"]["c1"])
    anchor = re.match(r"anchor c\.(\d+) (->|transcript base)", name)
    if anchor:
        c_pos = int(anchor.group(1))
        if anchor.group(2) == "transcript base":
            return cds[c_pos - 1]
        return str(genomic_position(m["exons"], gene_model["strand"], cds_start - 1 + c_pos))
    codon = re.match(r"codon (\d+) ", name)
    if codon:  # expected is either the codon or its amino acid
        n = int(codon.group(1))
        triplet = cds[3 * (n - 1) : 3 * n]
        return triplet if len(expected) == 3 else translate(triplet)
    return None


def genomic_slices(refdata: Path, models: dict[str, Any], offsets: dict[str, int],
                   checks: Checks) -> dict[str, list[dict[str, Any]]]:
    """Plus-strand genomic slices per build, each checked against the cDNA at the exons."""
    genomic = load_genomic(refdata)
    out: dict[str, list[dict[str, Any]]] = {b: [] for b in BUILDS}
    for gene, per_build in genomic.items():
        model = models[gene]
        for build in BUILDS:
            if build in per_build:
                start, seq, how = *per_build[build], "refdata"
            else:  # MTOR GRCh37: the gap-free liftover block, bases not verified on GRCh37
                start38, seq = per_build["GRCh38"]
                start, how = start38 + offsets[gene], "GRCh38 slice shifted by block offset"
            exons = model["builds"][build]["exons"]
            cdna = spliced(start, seq, exons, model["strand"])
            mism = None if cdna is None else sum(a != b for a, b in zip(cdna, model["cdna"],
                                                                        strict=True))
            checks.add(gene, build, "genomic slice spliced at exons == cDNA (mismatches)", 0, mism)
            out[build].append({"gene": gene, "contig": model["chrom"], "start": start,
                               "end": start + len(seq) - 1, "seq": seq, "origin": how})
    return out


def build_models(refdata: Path, checks: Checks) -> tuple[dict[str, Any], dict[str, int]]:
    offsets = {r["gene"]: int(r["offset_grch37_minus_grch38"])
               for r in read_tsv(refdata / "tables" / "liftover_blocks.tsv")}
    mane = mane_spans(refdata, offsets)
    exons_by = exon_table(refdata)
    models: dict[str, Any] = {}
    for row in read_tsv(refdata / "tables" / "transcripts.tsv"):
        gene, build = row["gene"], row["build"]
        exons = exons_by[(gene, build)]
        check_exons(gene, row, exons, checks)
        cdna, protein = model_cdna(gene, row, refdata, checks)
        model = models.setdefault(gene, {
            "gene": gene, "transcript": GENES[gene][0], "model": row["transcript_model"],
            "chrom": row["chrom"], "strand": row["strand"], "cdna": cdna,
            "cds_start": int(row["cds_tx_start"]), "cds_end": int(row["cds_tx_end"]),
            "protein": protein, "builds": {}})
        checks.add(gene, build, "cDNA/CDS identical across builds", True, model["cdna"] == cdna)
        c1 = genomic_position(exons, row["strand"], model["cds_start"])
        checks.add(gene, build, "c.1 genomic == transcripts.tsv c_1_genomic",
                   int(row["c_1_genomic"]), c1)
        checks.add(gene, build, "stop genomic == transcripts.tsv c_stop_genomic",
                   int(row["c_stop_genomic"]),
                   genomic_position(exons, row["strand"], model["cds_end"]))
        model["builds"][build] = {
            "exons": exons, "c1": c1, "tx_span": [int(row["tx_start"]), int(row["tx_end"])],
            "mane_span": mane[gene][build]}
    for gene, model in models.items():
        spans = {b: model["builds"][b]["tx_span"] for b in BUILDS}
        checks.add(gene, "both", "model span GRCh37 - GRCh38 == block offset", offsets[gene],
                   spans["GRCh37"][0] - spans["GRCh38"][0])
        if spans["GRCh38"] != mane[gene]["GRCh38"]:
            checks.info(gene, "both", "model span differs from MANE v1.5 span; MANE span used "
                        "for UTR vs up/downstream naming",
                        f"model {spans['GRCh38']} MANE {mane[gene]['GRCh38']} (GRCh38)")
    return models, offsets


def write_outputs(out_dir: Path, refdata: Path, payload: dict[str, Any], checks: Checks) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    # mtime=0 keeps the gzip byte-identical between rebuilds.
    (out_dir / "transcripts.json.gz").write_bytes(gzip.compress(blob, mtime=0))
    sources = {str(p.relative_to(refdata)): sha256(p) for p in sorted(refdata.rglob("*"))
               if p.is_file()}
    provenance = {"generator": "scripts/build_transcripts.py", "sources": sources,
                  "data_sha256": hashlib.sha256(blob).hexdigest(), "checks": checks.rows,
                  "decisions": DECISIONS}
    (out_dir / "provenance.json").write_text(json.dumps(provenance, indent=1, sort_keys=True)
                                             + "\n")
    (out_dir / "PROVENANCE.md").write_text(provenance_markdown(provenance))


DECISIONS = [
    "Reported transcripts are the MANE Select accessions; the bundled models share their coding "
    "sequences (MTOR Ensembl ENST00000361445, TSC1 GENCODE exons = LRG_486t1 minus 12 nt of "
    "exon-1 UTR, TSC2 NM_000548.3/LRG_487t1, PIK3CA ENST00000263967.3, KRAS NM_004985.5).",
    "Where the model's UTR ends differ from the MANE v1.5 span (TSC2 3' UTR, PIK3CA exon 1, "
    "TSC1 ends), the MANE span decides UTR vs upstream/downstream; positions inside the MANE "
    "span but outside the model are named UTR by extending the terminal exon.",
    "MANE spans on GRCh37 = GRCh38 span + the gene's gap-free liftover block offset.",
    "Genomic sequence: MTOR GRCh38 slice (hmftools); MTOR GRCh37 = the same bases placed by "
    "the block offset (exonic bases match the cDNA; intronic GRCh37 bases are not verified, "
    "VCF REF checks warn on mismatch); TSC1/TSC2 from LRG records (TSC1 reverse-complemented "
    "to the plus strand); PIK3CA/KRAS exonic bases only (from the cDNA).",
]


def provenance_markdown(prov: dict[str, Any]) -> str:
    lines = ["# Provenance of mtorvar/data", "",
             "Generated by `scripts/build_transcripts.py` from `../shared/refdata`; do not edit.",
             "", f"Data sha256 (uncompressed JSON): `{prov['data_sha256']}`", "",
             "## Decisions", ""]
    lines += [f"* {d}" for d in prov["decisions"]]
    lines += ["", "## Sources (sha256)", ""]
    lines += [f"* `{name}` `{digest}`" for name, digest in prov["sources"].items()]
    counts: dict[str, int] = {}
    for row in prov["checks"]:
        counts[row["result"]] = counts.get(row["result"], 0) + 1
    lines += ["", "## Checks", "", f"Results: {counts}", "",
              "| gene | build | check | expected | observed | result |",
              "|---|---|---|---|---|---|"]
    for r in prov["checks"]:
        cells = [r["gene"], r["build"], r["check"], r["expected"][:60], r["observed"][:60],
                 r["result"]]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refdata", type=Path, default=ROOT.parent / "shared" / "refdata")
    parser.add_argument("--out", type=Path, default=ROOT / "mtorvar" / "data")
    args = parser.parse_args(argv)
    checks = Checks()
    models, offsets = build_models(args.refdata, checks)
    rerun_refdata_checks(args.refdata, models, checks)
    genomic = genomic_slices(args.refdata, models, offsets, checks)
    payload = {"format": 1, "models": models, "genomic": genomic}
    for r in checks.failed:
        print(f"FAIL {r['gene']} {r['build']} {r['check']}: expected {r['expected'][:80]} "
              f"observed {r['observed'][:80]}", file=sys.stderr)
    if checks.failed:
        return 1
    write_outputs(args.out, args.refdata, payload, checks)
    print(f"wrote {args.out} ({len(checks.rows)} checks, all passed)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
