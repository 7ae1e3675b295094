"""One entry point for the text formats, so the pipeline need not know each renderer."""

from __future__ import annotations

from collections.abc import Callable

from mtorvar.errors import UsageError
from mtorvar.models.report import Report

TEXT_FORMATS = ("json", "tsv", "html")


def _renderer(fmt: str) -> Callable[[Report], bytes]:
    # Imported on demand: the HTML module is only needed for -O html.
    if fmt == "json":
        from mtorvar.report.json_report import render_json
        return render_json
    if fmt == "tsv":
        from mtorvar.report.tsv import render_tsv
        return render_tsv
    if fmt == "html":
        from mtorvar.report.html import render_html
        return render_html
    raise UsageError(f"{fmt!r} is not a text report format",
                     hint="json, tsv and html are rendered here; vcf/bcf go through "
                          "mtorvar.io.vcf_writer.write_annotated_vcf")


def render_report(report: Report, fmt: str) -> bytes:
    """The report in ``fmt`` (json | tsv | html) as UTF-8 bytes."""
    return _renderer(fmt)(report)
