#!/usr/bin/env python3
"""Generate a whole-genome-scale GRCh38 VCF (and BCF) for benchmarking mtorvar.

The file is deterministic for a given ``--seed``: millions of background records spread over
all primary chromosomes (random bases, kept well away from the five genes in *both* builds, so
they can never trip mtorvar's REF check) plus a few hundred records inside MTOR, PIK3CA, TSC1,
TSC2 and KRAS whose REF bases are real GRCh38 bases.  Those bases come from
``../shared/refdata`` when it is present (read in place, never copied), otherwise from the
package's bundled sequence (``mtorvar.genome.sequence.bundled``).

Writes into ``--out`` (default ``benchmarks/data``): ``big.vcf.gz`` (+ ``.tbi`` and ``.csi``),
``big.bcf`` (+ ``.csi``), ``genes.bed`` (the five GRCh38 gene windows +/-5 kb) and
``manifest.json`` (counts, seed, in-gene records per gene).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
from refbases import (  # sibling module: benchmarks/ is on sys.path when run as a script
    GENES_GRCH37,
    GENES_GRCH38,
    GRCH38_LENGTHS,
    WINDOW_FLANK,
    Segment,
    clip_to_gene,
    known_sequence,
)

HERE = Path(__file__).resolve().parent
DEFAULT_REFDATA = HERE.parent.parent / "shared" / "refdata"
EXCLUSION_FLANK = 50_000  # background records stay this far from any gene (either build)
BASES = np.array(list("ACGT"))
POOL_SIZE = 4096
FORMAT = "GT:AD:DP:AF"


def sample_field(rng: np.random.Generator, n_alts: int, present: bool | None) -> str:
    """One GT:AD:DP:AF sample column; ``present`` forces a clear alt call (None = random)."""
    roll = rng.random()
    if present is None and roll < 0.03:
        return "./.:" + ",".join("." * (n_alts + 1)) + ":.:" + ",".join("." * n_alts)
    depth = int(rng.integers(8, 160))
    if present is None:
        present = roll < 0.55
    if not present:
        alts = [int(rng.integers(0, 2)) for _ in range(n_alts)]
        gt = "0/0"
    else:
        vaf = float(rng.uniform(0.08, 0.95))
        alts = [max(5 if n_alts == 1 else 1, round(depth * vaf / n_alts)) for _ in range(n_alts)]
        depth = max(depth, sum(alts) + 1)
        gt = "0/1" if n_alts == 1 else "1/2"
    ref_reads = depth - sum(alts)
    afs = ",".join(f"{a / depth:.3f}" for a in alts)
    ad = ",".join(str(x) for x in [ref_reads, *alts])
    return f"{gt}:{ad}:{depth}:{afs}"


def sample_pool(
    rng: np.random.Generator, n_samples: int, n_alts: int, first_present: bool
) -> list[str]:
    """Precomputed sample-column strings (all samples joined); records pick from this pool."""
    pool = []
    for _ in range(POOL_SIZE):
        cols = [
            sample_field(rng, n_alts, True if (first_present and i == 0) else None)
            for i in range(n_samples)
        ]
        pool.append("\t".join(cols))
    return pool


def kmer_pool(rng: np.random.Generator, min_len: int, max_len: int) -> list[str]:
    lengths = rng.integers(min_len, max_len + 1, POOL_SIZE)
    return ["".join(BASES[rng.integers(0, 4, n)]) for n in lengths]


@dataclass
class Pools:
    """Precomputed field strings so that millions of records are cheap string joins."""

    samples: list[str]
    samples_multi: list[str]
    deleted: list[str]
    inserted: list[str]
    quals: list[str]
    infos: list[str]

    @classmethod
    def build(cls, rng: np.random.Generator, n_samples: int) -> Pools:
        depths = rng.integers(10, 600, POOL_SIZE)
        mqs = rng.choice([60, 60, 60, 59.5, 55.1, 42.0, 27.3], POOL_SIZE)
        return cls(
            samples=sample_pool(rng, n_samples, 1, first_present=False),
            samples_multi=sample_pool(rng, n_samples, 2, first_present=False),
            deleted=kmer_pool(rng, 1, 6),
            inserted=kmer_pool(rng, 1, 8),
            quals=[str(q) for q in rng.integers(3, 3000, POOL_SIZE)],
            infos=[f"DP={d};MQ={m:g}" for d, m in zip(depths, mqs, strict=True)],
        )


def background_positions(rng: np.random.Generator, contig: str, length: int, n: int) -> np.ndarray:
    """``n`` distinct sorted positions on ``contig``, none near the five genes (either build)."""
    zones = [
        (s.start - EXCLUSION_FLANK, s.end + EXCLUSION_FLANK)
        for s in (*GENES_GRCH38, *GENES_GRCH37)
        if s.contig == contig
    ]
    pos = np.empty(0, dtype=np.int64)
    while len(pos) < n:  # oversample, drop duplicates and excluded zones, then thin to n
        draw = rng.integers(1, length - 10, int(n * 1.05) + 16)
        pos = np.unique(np.concatenate([pos, draw]))
        for lo, hi in zones:
            pos = pos[(pos < lo) | (pos > hi)]
    if len(pos) > n:
        pos = np.sort(rng.choice(pos, n, replace=False))
    return pos


def background_lines(
    rng: np.random.Generator, contig: str, positions: np.ndarray, pools: Pools
) -> list[str]:
    """VCF lines with random bases: ~86% SNV, 7% deletion, 5% insertion, 2% multi-allelic."""
    n = len(positions)
    kind = np.searchsorted([0.86, 0.93, 0.98], rng.random(n)).tolist()
    ref_idx = rng.integers(0, 4, n)
    refs = BASES[ref_idx].tolist()
    shift = rng.integers(1, 4, n)
    alts = BASES[(ref_idx + shift) % 4].tolist()
    seconds = BASES[(ref_idx + shift % 3 + 1) % 4].tolist()  # differs from REF and first ALT
    pick = rng.integers(0, POOL_SIZE, (5, n)).tolist()
    filters = np.where(rng.random(n) < 0.92, "PASS", "LowQual").tolist()
    lines = []
    for i, pos in enumerate(positions.tolist()):
        ref, alt, k = refs[i], alts[i], kind[i]
        samples = pools.samples[pick[0][i]]
        if k == 1:
            ref, alt = ref + pools.deleted[pick[1][i]], ref
        elif k == 2:
            alt = ref + pools.inserted[pick[1][i]]
        elif k == 3:
            alt = f"{alt},{seconds[i]}"
            samples = pools.samples_multi[pick[0][i]]
        lines.append(
            f"{contig}\t{pos}\t.\t{ref}\t{alt}\t{pools.quals[pick[2][i]]}\t{filters[i]}\t"
            f"{pools.infos[pick[3][i]]}\t{FORMAT}\t{samples}\n"
        )
    return lines


@dataclass(frozen=True)
class InGene:
    gene: str
    contig: str
    pos: int
    ref: str
    alt: str


def ingene_variants(
    rng: np.random.Generator, known: dict[str, list[Segment]], total: int
) -> list[InGene]:
    """``total`` records spread over the five genes, at positions whose GRCh38 base is known."""
    out: list[InGene] = []
    for g, span in enumerate(GENES_GRCH38):
        segs = clip_to_gene(known.get(span.gene, []), span)
        lengths = np.array([len(s.seq) for s in segs], dtype=np.int64)
        wanted = total // len(GENES_GRCH38) + (1 if g < total % len(GENES_GRCH38) else 0)
        if lengths.sum() < wanted:
            raise SystemExit(f"only {lengths.sum()} known bases in {span.gene}; need {wanted}")
        bounds = np.cumsum(lengths)
        for offset in np.sort(rng.choice(int(bounds[-1]), wanted, replace=False)).tolist():
            s = int(np.searchsorted(bounds, offset, side="right"))
            seg = segs[s]
            i = offset - (int(bounds[s - 1]) if s else 0)
            out.append(make_ingene(rng, span.gene, seg, i))
    return out


def make_ingene(rng: np.random.Generator, gene: str, seg: Segment, i: int) -> InGene:
    ref = seg.seq[i]
    roll, k = rng.random(), int(rng.integers(1, 4))
    if roll < 0.08 and i + k < len(seg.seq):  # deletion of k bases after the anchor
        return InGene(gene, seg.contig, seg.start + i, seg.seq[i : i + k + 1], ref)
    if roll < 0.15:  # insertion of k random bases after the anchor
        return InGene(gene, seg.contig, seg.start + i, ref, ref + "".join(rng.choice(BASES, k)))
    alt = "ACGT".replace(ref, "")[int(rng.integers(0, 3))]
    return InGene(gene, seg.contig, seg.start + i, ref, alt)


def ingene_line(rng: np.random.Generator, v: InGene, n_samples: int) -> str:
    """First sample always carries the allele clearly, so every in-gene record is reportable."""
    cols = [sample_field(rng, 1, True if i == 0 else None) for i in range(n_samples)]
    qual = int(rng.integers(50, 3000))
    return (
        f"{v.contig}\t{v.pos}\t.\t{v.ref}\t{v.alt}\t{qual}\tPASS\tDP={int(rng.integers(40, 400))};"
        f"MQ=60\t{FORMAT}\t" + "\t".join(cols) + "\n"
    )


def header_text(sample_names: list[str], seed: int) -> str:
    lines = [
        "##fileformat=VCFv4.2",
        f"##source=mtorvar-benchmarks/make_vcf.py seed={seed}",
        "##reference=GRCh38",
        *(f"##contig=<ID={c},length={n},assembly=GRCh38>" for c, n in GRCH38_LENGTHS.items()),
        '##FILTER=<ID=PASS,Description="All filters passed">',
        '##FILTER=<ID=LowQual,Description="Low variant quality">',
        '##INFO=<ID=DP,Number=1,Type=Integer,Description="Total read depth at the site">',
        '##INFO=<ID=MQ,Number=1,Type=Float,Description="RMS mapping quality">',
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
        '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths (ref, alts)">',
        '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
        '##FORMAT=<ID=AF,Number=A,Type=Float,Description="Allele fraction of each alt">',
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + "\t".join(sample_names),
    ]
    return "\n".join(lines) + "\n"


def sample_names(n: int) -> list[str]:
    """Tumour regions R1..R(n-1) and one matched normal, like a multi-region study."""
    return [f"TUMOUR_R{i + 1}" for i in range(max(n - 1, 1))] + (["NORMAL"] if n > 1 else [])


def records_per_contig(n_background: int) -> dict[str, int]:
    total = sum(GRCH38_LENGTHS.values())
    counts = {c: max(1, n_background * n // total) for c, n in GRCH38_LENGTHS.items()}
    counts["chr1"] += n_background - sum(counts.values())  # rounding remainder
    return counts


def write_vcf(
    args: argparse.Namespace, known: dict[str, list[Segment]], sink: IO[bytes]
) -> list[InGene]:
    rng = np.random.default_rng(args.seed)
    names = sample_names(args.samples)
    pools = Pools.build(rng, len(names))
    ingene = ingene_variants(rng, known, args.in_gene)
    sink.write(header_text(names, args.seed).encode())
    per_contig = records_per_contig(args.records - len(ingene))
    for contig, length in GRCH38_LENGTHS.items():
        positions = background_positions(rng, contig, length, per_contig[contig])
        lines = background_lines(rng, contig, positions, pools)
        extra = sorted((v for v in ingene if v.contig == contig), key=lambda v: v.pos)
        # Background avoids the genes, so in-gene lines slot in by position without clashes.
        slots = np.searchsorted(positions, [v.pos for v in extra]).tolist()
        for slot, v in zip(reversed(slots), reversed(extra), strict=True):
            lines.insert(slot, ingene_line(rng, v, len(names)))
        sink.write("".join(lines).encode())
    return ingene


def check_against_bundled(ingene: list[InGene]) -> dict[str, int | str]:
    """Cross-check in-gene REF bases with mtorvar's bundled sequence, when it exists."""
    try:
        from mtorvar.genome.sequence import bundled  # optional: the check is advisory

        source = bundled("GRCh38")
    except Exception as exc:  # the API may not exist yet; the check is advisory
        return {"status": f"not checked ({type(exc).__name__})"}
    checked = mismatched = 0
    for v in ingene:
        seq = source.fetch(v.contig.removeprefix("chr"), v.pos, v.pos + len(v.ref) - 1)
        if seq is not None:
            checked += 1
            mismatched += seq.upper() != v.ref
    return {"status": "checked", "checked": checked, "mismatched": mismatched}


def run(cmd: list[str]) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def write_bed(path: Path) -> None:
    """Gene windows +/-5 kb as BED (0-based start), the regions mtorvar fetches on GRCh38."""
    rows = [
        f"{s.contig}\t{s.start - 1 - WINDOW_FLANK}\t{s.end + WINDOW_FLANK}\t{s.gene}\n"
        for s in sorted(GENES_GRCH38, key=lambda s: list(GRCH38_LENGTHS).index(s.contig))
    ]
    path.write_text("".join(rows))


def compress_and_index(args: argparse.Namespace, known: dict[str, list[Segment]]) -> list[InGene]:
    vcf = args.out / "big.vcf.gz"
    with vcf.open("wb") as raw:
        bgzip = subprocess.Popen(
            ["bgzip", "-@", str(args.threads), "-c"], stdin=subprocess.PIPE, stdout=raw
        )
        assert bgzip.stdin is not None
        ingene = write_vcf(args, known, bgzip.stdin)
        bgzip.stdin.close()
        if bgzip.wait() != 0:
            raise SystemExit("bgzip failed")
    run(["tabix", "-f", "-p", "vcf", str(vcf)])
    run(["bcftools", "index", "-f", str(vcf)])
    bcf = args.out / "big.bcf"
    run(["bcftools", "view", "--threads", str(args.threads), "-Ob", "-o", str(bcf), str(vcf)])
    run(["bcftools", "index", "-f", str(bcf)])
    return ingene


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=4_000_000, help="total records")
    parser.add_argument("--samples", type=int, default=4, help="samples (last one is NORMAL)")
    parser.add_argument("--in-gene", type=int, default=300, help="records inside the five genes")
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--out", type=Path, default=HERE / "data")
    parser.add_argument("--refdata", type=Path, default=DEFAULT_REFDATA)
    parser.add_argument("--threads", type=int, default=2, help="bgzip/bcftools threads")
    args = parser.parse_args(argv)
    if args.records < args.in_gene + len(GRCH38_LENGTHS) or args.samples < 1:
        parser.error("--records must exceed --in-gene plus one per contig; --samples >= 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for tool in ("bgzip", "tabix", "bcftools"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} not found (Debian packages: tabix, bcftools)")
    args.out.mkdir(parents=True, exist_ok=True)
    known, ref_source = known_sequence(args.refdata)
    ingene = compress_and_index(args, known)
    write_bed(args.out / "genes.bed")
    vcf, bed = str(args.out / "big.vcf.gz"), str(args.out / "genes.bed")
    n_records = int(run(["bcftools", "index", "-n", vcf]).strip())
    n_in_windows = len(run(["bcftools", "view", "-H", "-R", bed, vcf]).splitlines())
    if n_in_windows != len(ingene):  # background must stay out of the gene windows
        raise SystemExit(f"{n_in_windows} records in genes.bed, expected {len(ingene)}")
    manifest = {
        "records": n_records,
        "in_gene": len(ingene),
        "samples": sample_names(args.samples),
        "seed": args.seed,
        "ref_source": ref_source,
        "in_gene_by_gene": {s.gene: sum(v.gene == s.gene for v in ingene) for s in GENES_GRCH38},
        "bundled_ref_check": check_against_bundled(ingene),
        "files": [
            "big.vcf.gz",
            "big.vcf.gz.tbi",
            "big.vcf.gz.csi",
            "big.bcf",
            "big.bcf.csi",
            "genes.bed",
        ],
    }
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest, indent=2), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
