"""Command-line interface. Thin: parses options, calls the pipeline, maps errors to exit codes.

Heavy modules (pydantic models, cyvcf2, rich) are imported inside the commands so that
``mtorvar --version`` stays fast.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from mtorvar import __version__
from mtorvar.errors import InternalError, MtorvarError, UsageError

app = typer.Typer(
    name="mtorvar",
    help="Annotate MTOR, TSC1, TSC2, PIK3CA and KRAS variants and predict response to "
    "mTOR-pathway inhibitors, region by region. Research use only.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(
    help="List, show and validate the knowledge base's rules.", no_args_is_help=True
)
schema_app = typer.Typer(
    help="Print the JSON Schema of the report or of the rule files.", no_args_is_help=True
)
app.add_typer(rules_app, name="rules")
app.add_typer(schema_app, name="schema")


class OutputFormat(str, Enum):
    json = "json"
    tsv = "tsv"
    vcf = "vcf"
    bcf = "bcf"
    html = "html"


class GenomeChoice(str, Enum):
    auto = "auto"
    GRCh37 = "GRCh37"
    GRCh38 = "GRCh38"


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"mtorvar {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option(
            "--version",
            callback=_version_callback,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    """mtorvar: mTOR-pathway variant annotation."""


RulesOpt = Annotated[
    list[Path] | None,
    typer.Option("--rules", help="Add a site's own rule files from DIR (repeatable)."),
]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")]


@app.command()
def annotate(
    inputs: Annotated[
        list[str], typer.Argument(help="VCF/BCF files (one per region allowed), or - for stdin.")
    ],
    output: Annotated[
        str, typer.Option("-o", "--output", help="Output file, or - for stdout.")
    ] = "-",
    output_format: Annotated[
        OutputFormat | None,
        typer.Option(
            "-O",
            "--output-format",
            help="json|tsv|vcf|bcf|html; default from -o's extension, else json.",
        ),
    ] = None,
    genome: Annotated[
        GenomeChoice, typer.Option("--genome", help="Genome build, or auto-detect.")
    ] = GenomeChoice.auto,
    reference: Annotated[
        Path | None,
        typer.Option(
            "--reference", help="Indexed FASTA supplying sequence the bundled models lack."
        ),
    ] = None,
    samples: Annotated[
        Path | None,
        typer.Option("--samples", help="Sample sheet TSV (sample, region, role, purity, ...)."),
    ] = None,
    normal: Annotated[
        str | None, typer.Option("--normal", help="Name of the normal sample.")
    ] = None,
    rules: RulesOpt = None,
    pass_only: Annotated[
        bool, typer.Option("--pass-only", help="Treat records failing FILTER as 'filtered'.")
    ] = False,
    no_index: Annotated[
        bool, typer.Option("--no-index", help="Stream the input even when an index exists.")
    ] = False,
    min_alt_reads: Annotated[
        int,
        typer.Option("--min-alt-reads", min=1, help="Alt reads needed to call a variant present."),
    ] = 3,
    min_vaf: Annotated[
        float,
        typer.Option("--min-vaf", min=0.0, max=1.0, help="VAF needed to call a variant present."),
    ] = 0.02,
    copy_number: Annotated[
        Path | None, typer.Option("--copy-number", help="TSV: sample, gene, total_cn, minor_cn.")
    ] = None,
    ccf_import: Annotated[
        Path | None,
        typer.Option("--ccf-import", help="CCF and clusters from PyClone-VI or CONIPHER output."),
    ] = None,
    targets: Annotated[
        Path | None, typer.Option("--targets", help="BED of the panel's sequenced regions.")
    ] = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No summary on stderr.")] = False,
    verbose: Annotated[
        bool, typer.Option("-v", "--verbose", help="Also list every warning on stderr.")
    ] = False,
    debug: DebugOpt = False,
) -> None:
    """Annotate variants in the five genes and predict drug-class response per sample."""
    from mtorvar.pipeline import AnnotateOptions, run_and_write

    fmt = output_format.value if output_format else _format_from_path(output)
    options = AnnotateOptions(
        inputs=tuple(inputs),
        output=output,
        output_format=fmt,
        genome=genome.value,
        reference=str(reference) if reference else None,
        samples=str(samples) if samples else None,
        normal=normal,
        rules_dirs=tuple(str(p) for p in rules or ()),
        pass_only=pass_only,
        use_index=not no_index,
        min_alt_reads=min_alt_reads,
        min_vaf=min_vaf,
        copy_number=str(copy_number) if copy_number else None,
        ccf_import=str(ccf_import) if ccf_import else None,
        targets=str(targets) if targets else None,
        quiet=quiet,
        verbose=verbose,
        command_line=tuple(sys.argv),
    )
    run_and_write(options)


def _format_from_path(path: str) -> str:
    name = path.lower()
    for suffix, fmt in (
        (".json", "json"),
        (".tsv", "tsv"),
        (".vcf.gz", "vcf"),
        (".vcf", "vcf"),
        (".bcf", "bcf"),
        (".html", "html"),
        (".htm", "html"),
    ):
        if name.endswith(suffix):
            return fmt
    return "json"


@app.command()
def explain(
    notation: Annotated[
        str, typer.Argument(help='A variant, e.g. "MTOR:p.F2108L" or "NM_004958.4:c.6322T>C".')
    ],
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
    rules: RulesOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Show which rules fire for one variant, and why."""
    from mtorvar.engine.explain import explain as run_explain
    from mtorvar.engine.explain import render_explain_json, render_explain_text
    from mtorvar.kb.loader import load_knowledge_base

    kb = load_knowledge_base(tuple(rules or ()))
    result = run_explain(notation, kb)
    typer.echo(render_explain_json(result) if json_out else render_explain_text(result))


@rules_app.command("list")
def rules_list(rules: RulesOpt = None) -> None:
    """List every rule: ID, gene, status, evidence level, title."""
    from mtorvar.kb.commands import render_rules_list
    from mtorvar.kb.loader import load_knowledge_base

    typer.echo(render_rules_list(load_knowledge_base(tuple(rules or ()))))


@rules_app.command("show")
def rules_show(
    rule_id: Annotated[str, typer.Argument(help="Rule ID, e.g. MTOR-FRB-F2108.")],
    rules: RulesOpt = None,
) -> None:
    """Show one rule in full."""
    from mtorvar.kb.commands import render_rule
    from mtorvar.kb.loader import load_knowledge_base

    typer.echo(render_rule(load_knowledge_base(tuple(rules or ())), rule_id))


@rules_app.command("validate")
def rules_validate(
    directory: Annotated[
        Path | None, typer.Argument(help="Extra rule directory to validate.")
    ] = None,
) -> None:
    """Validate the built-in rules (and DIR when given); exit 3 listing every problem."""
    from mtorvar.kb.commands import validate_rules

    typer.echo(validate_rules(directory))


@schema_app.command("report")
def schema_report() -> None:
    """JSON Schema of the report."""
    from mtorvar.report.schema import report_json_schema_text

    typer.echo(report_json_schema_text(), nl=False)


@schema_app.command("rules")
def schema_rules() -> None:
    """JSON Schema of a rule file."""
    from mtorvar.kb.commands import rules_json_schema_text

    typer.echo(rules_json_schema_text(), nl=False)


@app.command()
def cohort(
    reports: Annotated[
        list[Path], typer.Argument(help="Report JSON files from `mtorvar annotate`.")
    ],
    output: Annotated[
        str,
        typer.Option("-o", "--output", help="cohort.tsv or cohort.json, or - for stdout (TSV)."),
    ] = "-",
    output_format: Annotated[
        str | None, typer.Option("-O", "--output-format", help="tsv|json")
    ] = None,
) -> None:
    """Summarise many reports: one row per tumour, plus variant recurrence."""
    from mtorvar.report.cohort import write_cohort

    fmt = output_format or ("json" if output.lower().endswith(".json") else "tsv")
    if fmt not in ("tsv", "json"):
        raise UsageError(f"unknown cohort output format {fmt!r}", hint="use tsv or json")
    write_cohort([str(p) for p in reports], output, fmt)


def _print_error(message: str) -> None:
    sys.stderr.write(f"mtorvar: error: {message}\n")


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, turn every failure into one line and a documented exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        result = app(args=args, prog_name="mtorvar", standalone_mode=False)
    except MtorvarError as err:
        if debug:
            raise
        _print_error(err.one_line())
        problems = getattr(err, "problems", None)
        return _exit(err.exit_code, problems)
    except typer.Exit as ex:
        return ex.exit_code
    except KeyboardInterrupt:
        _print_error("interrupted")
        return 130
    except Exception as err:
        if isinstance(err, _click_errors()):
            return _click_error(err)
        if isinstance(err, typer.Abort):
            _print_error("aborted")
            return 130
        if isinstance(err, BrokenPipeError):
            return 1
        if debug:
            raise
        bug = InternalError(
            f"internal error: {type(err).__name__}: {err}",
            hint="this is a bug in mtorvar; please report it with the input and "
            "command line (rerun with --debug for the traceback)",
        )
        _print_error(bug.one_line())
        return bug.exit_code
    return result if isinstance(result, int) else 0


def _click_errors(kind: str = "ClickException") -> tuple[type[Exception], ...]:
    """``kind`` from click and from the click typer vendors (typer >= 0.2x has its own)."""
    import click

    classes: list[type[Exception]] = [getattr(click, kind)]
    try:
        from typer._click import exceptions as vendored
    except ImportError:  # typer without a vendored click
        return tuple(classes)
    return (*classes, getattr(vendored, kind))


def _click_error(err: Exception) -> int:
    """Usage errors (exit 2) as one line with a pointer to --help; bare help stays help."""
    if type(err).__name__ == "NoArgsIsHelpError":
        err.show()  # type: ignore[attr-defined]
        return 2
    message = " ".join(err.format_message().split())  # type: ignore[attr-defined]
    if isinstance(err, _click_errors("UsageError")):
        ctx = getattr(err, "ctx", None)
        command = ctx.command_path if ctx is not None else "mtorvar"
        _print_error(f"{message} (hint: see '{command} --help')")
        return 2
    _print_error(message)
    return int(getattr(err, "exit_code", 1))


def _exit(code: int, problems: list[str] | None) -> int:
    if problems:
        for problem in problems:  # one line each, even when it quotes a multi-line value
            sys.stderr.write(f"  - {' '.join(str(problem).split())}\n")
    return code


def run() -> None:
    """Console-script wrapper."""
    sys.exit(main())
