"""What ``mtorvar annotate`` was asked to do, as one model the pipeline and reports share."""

from __future__ import annotations

from typing import Literal

from mtorvar.models.base import Frozen


class AnnotateOptions(Frozen):
    """Everything ``mtorvar annotate`` was asked to do."""

    inputs: tuple[str, ...]
    output: str = "-"
    output_format: Literal["json", "tsv", "vcf", "bcf", "html"] = "json"
    genome: Literal["auto", "GRCh37", "GRCh38"] = "auto"
    reference: str | None = None
    samples: str | None = None
    normal: str | None = None
    rules_dirs: tuple[str, ...] = ()
    pass_only: bool = False
    use_index: bool = True
    min_alt_reads: int = 3
    min_vaf: float = 0.02
    copy_number: str | None = None
    ccf_import: str | None = None
    targets: str | None = None
    quiet: bool = False
    verbose: bool = False
    command_line: tuple[str, ...] = ()

    def parameters(self) -> dict[str, str | int | float | bool | None]:
        """The options that shape the result, for the report's provenance."""
        return {
            "genome": self.genome,
            "reference": self.reference,
            "samples": self.samples,
            "normal": self.normal,
            "pass_only": self.pass_only,
            "use_index": self.use_index,
            "min_alt_reads": self.min_alt_reads,
            "min_vaf": self.min_vaf,
            "copy_number": self.copy_number,
            "ccf_import": self.ccf_import,
            "targets": self.targets,
            "rules": ",".join(self.rules_dirs) or None,
        }
