"""Sample roles: which columns are tumour regions and which one is the normal.

Resolved in order (DESIGN.md section 4, issue 4): the sample sheet, ``--normal NAME``, the
Mutect2 header lines ``##normal_sample=``/``##tumor_sample=``, then the sample names. Guessing
from names is conservative (only unmistakable words mark a normal) and always says so in a
warning, because a normal counted as a region would change every clonality call.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from mtorvar.errors import UsageError
from mtorvar.io.samplesheet import SampleSheetRow
from mtorvar.models.report import SampleInfo

SITES_SAMPLE = "SITES"  # pseudo-sample of a sites-only VCF: every variant is present in it
_NORMAL_NAME = re.compile(r"(?i)(normal|germline|blood|pbmc|buffy)")


def resolve_samples(
    names: Sequence[str],
    *,
    sheet: Sequence[SampleSheetRow] = (),
    normal: str | None = None,
    meta: Mapping[str, str] | None = None,
) -> tuple[list[SampleInfo], list[str]]:
    """Return one :class:`SampleInfo` per input sample (input order) and warnings.

    ``names`` are the VCF's sample columns (the merged list for several inputs); ``meta`` is
    ``VcfHeader.meta`` (keys ``normal_sample``/``tumor_sample``). Zero samples (a sites-only
    VCF) gives the single tumour pseudo-sample ``SITES``.
    """
    if not names:
        return [SampleInfo(name=SITES_SAMPLE, role="tumor", region=SITES_SAMPLE)], []
    if normal is not None and normal not in names:
        raise UsageError(f"--normal {normal!r} is not a sample of the input",
                         hint=f"samples are: {', '.join(names)}")
    warnings: list[str] = []
    by_name = {row.sample: row for row in sheet}
    for row in sheet:
        if row.sample not in names:
            warnings.append(f"sample sheet line {row.line}: sample {row.sample!r} is not in "
                            f"the input (samples: {', '.join(names)})")
    roles, how = _roles(names, by_name, normal, meta or {})
    guessed = [n for n in names if how[n] == "name"]
    if guessed and len(names) > 1:
        listing = ", ".join(f"{n}={roles[n]}" for n in guessed)
        warnings.append(f"sample roles guessed from sample names ({listing}); "
                        "give --normal NAME or --samples SHEET.tsv to set them")
    normals = [n for n in names if roles[n] == "normal"]
    if len(normals) > 1:
        warnings.append(f"several normal samples ({', '.join(normals)}): each is used for "
                        "germline/artefact flags, none counts as a region")
    if normals and len(normals) == len(names):
        warnings.append("every sample is a normal: no tumour sample to predict for")
    return [_info(n, roles[n], by_name.get(n)) for n in names], warnings


def _roles(names: Sequence[str], sheet: Mapping[str, SampleSheetRow], normal: str | None,
           meta: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Role per sample and which source decided it (sheet | option | header | name)."""
    roles: dict[str, str] = {}
    how: dict[str, str] = {}
    for name in names:
        row = sheet.get(name)
        if row is not None and row.role is not None:
            if normal == name and row.role != "normal":
                raise UsageError(f"--normal {name!r} contradicts the sample sheet "
                                 f"(line {row.line} says {row.role})",
                                 hint="drop --normal or fix the sheet's role column")
            roles[name], how[name] = row.role, "sheet"
        elif normal is not None:
            roles[name], how[name] = ("normal" if name == normal else "tumor"), "option"
        elif name == meta.get("normal_sample"):
            roles[name], how[name] = "normal", "header"
        elif name == meta.get("tumor_sample") or meta.get("normal_sample") in names:
            roles[name], how[name] = "tumor", "header"  # Mutect2 names only one tumour
        else:
            roles[name] = "normal" if _NORMAL_NAME.search(name) else "tumor"
            how[name] = "name"
    return roles, how


def _info(name: str, role: str, row: SampleSheetRow | None) -> SampleInfo:
    if row is None:
        return SampleInfo(name=name, role="normal" if role == "normal" else "tumor",
                          region=None if role == "normal" else name)
    return SampleInfo(
        name=name, role="normal" if role == "normal" else "tumor",
        region=row.region or (None if role == "normal" else name),
        purity=row.purity, ploidy=row.ploidy, timepoint=row.timepoint,
        phenotypes=dict(row.phenotypes),
    )


def tumour_samples(samples: Sequence[SampleInfo]) -> list[SampleInfo]:
    return [s for s in samples if s.role == "tumor"]
