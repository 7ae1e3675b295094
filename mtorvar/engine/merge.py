"""Merge several inputs (one VCF per region) by site.

Each distinct allele (canonical contig, pos, REF, ALT) becomes one :class:`Allele` whose calls
cover every sample of every file; a sample whose file lacks the site gets an empty call
(→ ``not_assessed``: a site missing from a region's file says nothing about that region, since
separately called, PASS-only files drop sub-threshold evidence). Each call keeps its own
file's FILTER in ``AlleleCall.filters``.

A sample name in several files is one physical sample only when it is declared so (the
normal: ``##normal_sample=`` or ``same_samples``) or its calls are identical at every shared
site (and there is one); otherwise two regions share a name (Strelka writes ``TUMOR`` in
every file), and each file's column is renamed ``<file>:<name>`` (as ``bcftools merge
--force-samples`` does) with a warning, so the regions stay apart.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from pydantic import Field

from mtorvar.models.base import Frozen
from mtorvar.models.variant import Allele, AlleleCall
from mtorvar.models.vcf import VcfHeader

SiteKey = tuple[str, int, str, str]
# Provenance of the empty call given to a sample whose file lacks the site (observe names it).
SITE_NOT_IN_FILE = "site not in this sample's input file"
_EMPTY = AlleleCall()
_NOT_IN_FILE = AlleleCall(depth_source=SITE_NOT_IN_FILE)


class MergedInput(Frozen):
    samples: tuple[str, ...]
    alleles: tuple[Allele, ...]
    meta: dict[str, str] = Field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def contig_rank(contig: str) -> tuple[int, str]:
    """Genomic order of canonical contigs: 1..22, X, Y, MT, then others by name."""
    if contig.isdecimal():
        return int(contig), ""
    return {"X": 23, "Y": 24, "MT": 25}.get(contig, 26), contig


def site_key(allele: Allele) -> SiteKey:
    return allele.contig, allele.pos, allele.ref.upper(), allele.alt.upper()


def merge_inputs(inputs: Sequence[tuple[VcfHeader, Sequence[Allele]]], *,
                 same_samples: Collection[str] = ()) -> MergedInput:
    """Combine per-file (header, alleles) into one sample list and one allele per site."""
    if len(inputs) == 1:
        header, alleles = inputs[0]
        # One allele per site (a repeated record must not count as a second hit) in genomic
        # order whatever the file's order; stable, so the ALTs of a record keep their order.
        single_warnings: list[str] = []
        unique = _index_sites(header, alleles, single_warnings).values()
        ordered = sorted(unique, key=lambda a: (contig_rank(a.contig), a.pos))
        return MergedInput(samples=header.samples, alleles=tuple(ordered),
                           meta=dict(header.meta), warnings=tuple(single_warnings))
    warnings: list[str] = []
    declared = set(same_samples) | {h.meta["normal_sample"] for h, _ in inputs
                                    if "normal_sample" in h.meta}
    by_file = [_index_sites(h, alleles, warnings) for h, alleles in inputs]
    inputs = _rename_clashing_samples(inputs, by_file, declared, warnings)
    samples, columns = _combined_samples(inputs)
    for header, _ in inputs:
        if not header.samples:
            warnings.append(f"{header.path} has no samples: its sites are reported but not "
                            "assessed in any sample")
    merged: list[Allele] = []
    for key in sorted({k for sites in by_file for k in sites},
                      key=lambda k: (contig_rank(k[0]), k[1], k[2], k[3])):
        first = next(sites[key] for sites in by_file if key in sites)
        calls = []
        for name in samples:
            found = [(inputs[f][0].path, _call(by_file[f][key], column))
                     for f, column in columns[name] if key in by_file[f]]
            calls.append(_pick(name, key, found, warnings))
        merged.append(first.model_copy(update={"calls": tuple(calls)}))
    return MergedInput(samples=tuple(samples), alleles=tuple(merged),
                       meta=_merged_meta(inputs, warnings), warnings=tuple(warnings))


def _file_label(path: str) -> str:
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    for suffix in (".vcf.gz", ".vcf.bgz", ".vcf", ".bcf", ".gz"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _rename_clashing_samples(inputs: Sequence[tuple[VcfHeader, Sequence[Allele]]],
                             by_file: list[dict[SiteKey, Allele]], declared: set[str],
                             warnings: list[str]
                             ) -> Sequence[tuple[VcfHeader, Sequence[Allele]]]:
    """Rename ``name`` to ``<file>:name`` where several files use it for different samples."""
    where: dict[str, list[tuple[int, int]]] = {}
    for file_no, (header, _) in enumerate(inputs):
        for column, name in enumerate(header.samples):
            where.setdefault(name, []).append((file_no, column))
    clashing = {name for name, places in where.items() if len(places) > 1
                and name not in declared and not _one_sample(places, by_file)}
    if not clashing:
        return inputs
    labels = [_file_label(h.path) for h, _ in inputs]
    if len(set(labels)) < len(labels):
        labels = [str(i + 1) for i in range(len(inputs))]
    renamed = []
    for (header, alleles), label in zip(inputs, labels, strict=True):
        names = tuple(f"{label}:{n}" if n in clashing else n for n in header.samples)
        renamed.append((header.model_copy(update={"samples": names}), alleles))
    for name in sorted(clashing):
        new = ", ".join(f"{label}:{name}" for label, (h, _) in zip(labels, inputs, strict=True)
                        if name in h.samples)
        warnings.append(f"sample name {name!r} is used by several inputs for different data; "
                        f"they are kept apart as {new} (use these names in a sample sheet, or "
                        "rename the samples per region with bcftools reheader)")
    return renamed


def _one_sample(places: list[tuple[int, int]], by_file: list[dict[SiteKey, Allele]]) -> bool:
    """Same name, same physical sample: identical calls at every shared site (at least one)."""
    shared = 0
    for key in set.intersection(*(set(by_file[f]) for f, _ in places)):
        calls = [_call(by_file[f][key], column) for f, column in places]
        if any(not _same(calls[0], other) for other in calls[1:]):
            return False
        shared += 1
    return shared > 0


def _combined_samples(inputs: Sequence[tuple[VcfHeader, Sequence[Allele]]]
                      ) -> tuple[list[str], dict[str, list[tuple[int, int]]]]:
    samples: list[str] = []
    columns: dict[str, list[tuple[int, int]]] = {}
    for file_no, (header, _) in enumerate(inputs):
        for column, name in enumerate(header.samples):
            if name not in columns:
                samples.append(name)
                columns[name] = []
            columns[name].append((file_no, column))
    return samples, columns


def _index_sites(header: VcfHeader, alleles: Sequence[Allele],
                 warnings: list[str]) -> dict[SiteKey, Allele]:
    sites: dict[SiteKey, Allele] = {}
    for allele in alleles:
        key = site_key(allele)
        if key in sites:
            warnings.append(f"{header.path}: {allele.key} appears twice; the first record "
                            f"(record {sites[key].record_no}) is used")
            continue
        sites[key] = allele
    return sites


def _call(allele: Allele, column: int) -> AlleleCall:
    call = allele.calls[column] if column < len(allele.calls) else _EMPTY
    return call.model_copy(update={"filters": allele.filters})


def _same(a: AlleleCall, b: AlleleCall) -> bool:
    return a.model_dump(exclude={"filters"}) == b.model_dump(exclude={"filters"})


def _pick(name: str, key: SiteKey, found: list[tuple[str, AlleleCall]],
          warnings: list[str]) -> AlleleCall:
    if not found:
        return _NOT_IN_FILE
    path, call = found[0]
    for other_path, other in found[1:]:
        if _same(call, other):
            continue
        # Only a declared shared sample (the normal) can differ here; clashing undeclared
        # names were renamed apart before merging.
        site = f"{key[0]}:{key[1]}:{key[2]}>{key[3]}"
        if (other.depth or 0) > (call.depth or 0):
            path, call = other_path, other
        warnings.append(f"sample {name} differs between files at {site}; the call with the "
                        f"greater depth ({path}) is used")
    return call


def _merged_meta(inputs: Sequence[tuple[VcfHeader, Sequence[Allele]]],
                 warnings: list[str]) -> dict[str, str]:
    normals = sorted({h.meta["normal_sample"] for h, _ in inputs if "normal_sample" in h.meta})
    if len(normals) > 1:
        warnings.append(f"inputs name different normal samples ({', '.join(normals)}); "
                        "the first is used unless --normal or a sample sheet says otherwise")
    first = next((h.meta["normal_sample"] for h, _ in inputs if "normal_sample" in h.meta), None)
    return {"normal_sample": first} if first else {}
