"""The Snakefile, Nextflow module, conda recipe and Dockerfile may only use options the CLI has.

Every ``mtorvar <command> …`` invocation in those files is extracted (shell continuations and
split string literals joined), and each option is checked against the typer app; choice
values (``-O json``) are checked too. Option strings built in variables (``"--samples …"``)
are checked against ``annotate``. When the CLI cannot be imported, the contract list from
DESIGN.md section 5 is used instead.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW_FILES = (
    ROOT / "workflow" / "Snakefile",
    ROOT / "workflow" / "nextflow" / "modules" / "mtorvar" / "annotate" / "main.nf",
    ROOT / "workflow" / "conda" / "meta.yaml",
    ROOT / "workflow" / "docker" / "Dockerfile",
)
# Fallback (DESIGN.md section 5) when the typer app is not importable.
CONTRACT_OPTIONS: dict[str, set[str]] = {
    "": {"--version", "--debug", "-h", "--help"},
    "annotate": {"-o", "--output", "-O", "--output-format", "--genome", "--reference",
                 "--samples", "--normal", "--rules", "--pass-only", "--no-index",
                 "--min-alt-reads", "--min-vaf", "-q", "--quiet", "-v", "--verbose",
                 "--debug", "-h", "--help"},
    "cohort": {"-o", "--output", "-O", "--output-format", "-h", "--help"},
    "schema report": {"-h", "--help"},
    "schema rules": {"-h", "--help"},
    "rules validate": {"-h", "--help"},
    "explain": {"--json", "--rules", "-h", "--help"},
}
CONTRACT_CHOICES = {("annotate", "-O"): {"json", "tsv", "vcf", "bcf", "html"},
                    ("annotate", "--output-format"): {"json", "tsv", "vcf", "bcf", "html"}}
_INVOCATION = re.compile(r"(?:(?<![\w/.-])mtorvar|\{MTORVAR\})\s+(?=\S)")
_STOP = re.compile(r"\s(?:\d?>|&&|\|\||\||;)|\)")
_OPTION_LITERAL = re.compile(r"[\"'](--[a-z][a-z0-9-]*)")


def _choices(param: Any) -> set[str]:
    """Allowed values of a choice option (click's ``type`` or typer's ``type_descriptor``)."""
    source = getattr(param, "type", None) or getattr(param, "type_descriptor", None)
    values = getattr(source, "choices", None) or ()
    return {str(getattr(v, "value", v)) for v in values}


def _cli_options() -> tuple[dict[str, set[str]], dict[tuple[str, str], set[str]]]:
    try:
        import typer

        from mtorvar.cli import app
    except ImportError:
        return CONTRACT_OPTIONS, CONTRACT_CHOICES
    options: dict[str, set[str]] = {}
    choices: dict[tuple[str, str], set[str]] = {}

    # Duck-typed: typer may use its own vendored copy of click.
    def walk(command: Any, path: str) -> None:
        names = {"-h", "--help"}
        for param in command.params:
            if getattr(param, "param_type_name", "") != "option":
                continue
            flags = [*param.opts, *param.secondary_opts]
            names.update(flags)
            allowed = _choices(param)
            if allowed:
                for flag in flags:
                    choices[(path, flag)] = allowed
        options[path] = names
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}".strip())

    walk(typer.main.get_command(app), "")
    return options, choices


def _joined(text: str) -> str:
    """Drop comment lines; join shell continuations and adjacent Python string literals."""
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith(("#", "//"))]
    text = re.sub(r"\\\\?\n", " ", "\n".join(lines) + "\n")  # `\` or Groovy's `\\`
    return re.sub(r"\"\s*\n\s*\"", "", text)


def invocations(text: str) -> list[list[str]]:
    """Token lists after `mtorvar`, cut at redirections, pipes and command separators."""
    found = []
    joined = _joined(text)
    for match in _INVOCATION.finditer(joined):
        rest = joined[match.end():].split("\n", 1)[0]
        stop = _STOP.search(" " + rest)
        rest = rest[: stop.start() - 1] if stop else rest
        tokens = [t.strip("\"'") for t in rest.split()]
        # `COPY mtorvar ./mtorvar`, `mtorvar = mtorvar.cli:main` are not invocations.
        if tokens and re.fullmatch(r"-{1,2}[a-z][\w-]*|[a-z][a-z0-9_-]*", tokens[0]):
            found.append(tokens)
    return found


def _command_path(tokens: list[str], options: dict[str, set[str]]) -> tuple[str, list[str]]:
    path = ""
    while tokens and f"{path} {tokens[0]}".strip() in options:
        path = f"{path} {tokens[0]}".strip()
        tokens = tokens[1:]
    return path, tokens


def problems_in(text: str) -> list[str]:
    options, choices = _cli_options()
    problems = []
    for tokens in invocations(text):
        path, rest = _command_path(tokens, options)
        if tokens and not tokens[0].startswith("-") and path == "":
            problems.append(f"unknown command `mtorvar {tokens[0]}`")
            continue
        for i, token in enumerate(rest):
            if not re.fullmatch(r"--?[A-Za-z][\w-]*", token):
                continue
            if token not in options[path]:
                problems.append(f"`mtorvar {path}` has no option {token}")
            allowed = choices.get((path, token))
            if allowed and i + 1 < len(rest) and rest[i + 1] not in allowed:
                problems.append(f"`mtorvar {path} {token}` does not accept {rest[i + 1]!r}")
    for flag in _OPTION_LITERAL.findall(text):
        if flag not in options.get("annotate", set()):
            problems.append(f"option string {flag} is not an `mtorvar annotate` option")
    return problems


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_workflow_file_uses_only_existing_options(path: Path) -> None:
    assert path.is_file(), f"{path} is missing"
    text = path.read_text(encoding="utf-8")
    assert invocations(text), f"no mtorvar invocation found in {path.name}"
    assert problems_in(text) == []


def test_checker_catches_unknown_options_and_values() -> None:
    bad = 'mtorvar annotate in.vcf --outptu x.json -O xlsx 2> log\nx = "--frobnicate 1"\n'
    found = problems_in(bad)
    assert any("--outptu" in p for p in found)
    assert any("'xlsx'" in p for p in found)
    assert any("--frobnicate" in p for p in found)
    assert problems_in("mtorvar frob in.vcf") == ["unknown command `mtorvar frob`"]


def test_extraction_handles_continuations() -> None:
    nf = "mtorvar annotate \\\\\n    ${vcf} \\\\\n    --output x.json \\\\\n    --quiet\n"
    assert invocations(nf) == [["annotate", "${vcf}", "--output", "x.json", "--quiet"]]
    snake = '"{MTORVAR} annotate {input:q} -o {output:q}"\n        " -O json 2> {log:q}"'
    assert invocations(snake) == [["annotate", "{input:q}", "-o", "{output:q}", "-O", "json"]]
    assert invocations("mtorvar: \\$(mtorvar --version | sed 's/^mtorvar //')") == [
        ["--version"]]


def test_nextflow_meta_matches_module_outputs() -> None:
    import yaml

    module = ROOT / "workflow" / "nextflow" / "modules" / "mtorvar" / "annotate"
    meta = yaml.safe_load((module / "meta.yml").read_text(encoding="utf-8"))
    main = (module / "main.nf").read_text(encoding="utf-8")
    emits = set(re.findall(r"emit:\s*(\w+)", main))
    assert {next(iter(o)) for o in meta["output"]} == emits
    assert meta["name"] == "mtorvar_annotate"
    assert "process MTORVAR_ANNOTATE" in main
    env = yaml.safe_load((module / "environment.yml").read_text(encoding="utf-8"))
    assert any(str(d).startswith("bioconda::mtorvar") for d in env["dependencies"])


def test_conda_recipe_pins_match_pyproject() -> None:
    tomllib = pytest.importorskip("tomllib")

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    recipe = (ROOT / "workflow" / "conda" / "meta.yaml").read_text(encoding="utf-8")
    assert f'{{% set version = "{project["version"]}" %}}' in recipe
    for dependency in project["dependencies"]:
        name = re.split(r"[<>=!~ ]", dependency, maxsplit=1)[0].lower()
        assert re.search(rf"^\s+- {re.escape(name)}\b", recipe, re.MULTILINE), name
