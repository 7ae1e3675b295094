"""Exit codes and error lines as DESIGN.md section 5 says: 0, 1 input, 2 usage, 3 rules, 4 bug.

Every failure is one ``mtorvar: error:`` line on stderr (exit 3 adds its listed problems),
never a traceback unless ``--debug``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtorvar.cli import main
from tests.cli.conftest import EXAMPLE, ROOT, CliRunner, run_subprocess

FIXTURES = ROOT / "fixtures"
VCF = EXAMPLE / "multiregion.vcf"
BROKEN_RULE_DIRS = sorted(p for p in FIXTURES.glob("rules_*")
                          if p.is_dir() and p.name != "rules_override")


def test_success_is_exit_0(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = cli("annotate", VCF, "--samples", EXAMPLE / "samples.tsv", "-o", out, "-q")
    assert result.code == 0, result.err
    assert result.err == ""
    assert json.loads(out.read_text())["variants"]


# ----------------------------------------------------------------------------- exit 1
@pytest.mark.parametrize("make_input", ["missing", "directory", "not_vcf", "empty", "binary"])
def test_unreadable_inputs_exit_1(cli: CliRunner, tmp_path: Path, make_input: str) -> None:
    path = tmp_path / "in.vcf"
    if make_input == "directory":
        path.mkdir()
    elif make_input == "not_vcf":
        path.write_text("gene\tchange\nMTOR\tF2108L\n")
    elif make_input == "empty":
        path.write_bytes(b"")
    elif make_input == "binary":
        path.write_bytes(bytes(range(256)) * 16)
    out = tmp_path / "r.json"
    result = cli("annotate", path, "-o", out)
    result.assert_one_line_error(1)
    assert str(path) in result.err  # names the file
    assert not out.exists()


def test_undecidable_build_with_in_gene_records_exit_1(cli: CliRunner, tmp_path: Path) -> None:
    vcf = FIXTURES / "cli_undecidable" / "neither.vcf"
    result = cli("annotate", vcf, "-o", tmp_path / "r.json")
    result.assert_one_line_error(1)
    assert "cannot decide the genome build" in result.err
    assert "--genome" in result.err  # the hint says what to pass


def test_ref_mismatch_names_the_likely_build(cli: CliRunner, tmp_path: Path) -> None:
    vcf = FIXTURES / "cli_grch37_bases" / "mtor37.vcf"
    result = cli("annotate", vcf, "--genome", "GRCh38", "-o", tmp_path / "r.json")
    result.assert_one_line_error(1)
    assert "REF" in result.err
    assert "looks like GRCh37" in result.err
    assert "--genome GRCh37" in result.err
    ok = cli("annotate", vcf, "-o", tmp_path / "auto.json", "-q")
    assert ok.code == 0, ok.err
    assert json.loads((tmp_path / "auto.json").read_text())["input"]["genome_build"] == "GRCh37"


def test_grch37_file_declared_grch38_is_refused(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("annotate", FIXTURES / "build_hg19" / "hg19_pik3ca.vcf", "--genome", "GRCh38",
                 "-o", tmp_path / "r.json")
    result.assert_one_line_error(1)
    assert "GRCh37" in result.err


def test_unwritable_output_directory_exit_1(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("annotate", VCF, "-o", tmp_path / "no" / "such" / "dir" / "r.json")
    result.assert_one_line_error(1)
    assert "cannot write output" in result.err


def test_missing_sample_sheet_exit_1(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("annotate", VCF, "--samples", tmp_path / "absent.tsv", "-o", tmp_path / "r.json")
    result.assert_one_line_error(1)
    assert "absent.tsv" in result.err


# ----------------------------------------------------------------------------- exit 2
@pytest.mark.parametrize("args", [
    ["annotate", str(VCF), "--no-such-option"],
    ["annotate", str(VCF), "-O", "xml"],
    ["annotate", str(VCF), "--genome", "hg42"],
    ["annotate", str(VCF), "--min-vaf", "2"],
    ["annotate", str(VCF), "--min-alt-reads", "many"],
    ["annotate"],
    ["no-such-command"],
    ["rules", "show"],
    ["cohort", "x.json", "-O", "xml"],
])
def test_usage_errors_exit_2(cli: CliRunner, args: list[str]) -> None:
    result = cli(*args)
    result.assert_one_line_error(2)
    assert "(hint: " in result.err  # says what to do (for option errors: see --help)


def test_unknown_normal_name_exit_2(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = cli("annotate", VCF, "--normal", "NOT_A_SAMPLE", "-o", out)
    result.assert_one_line_error(2)
    assert "NOT_A_SAMPLE" in result.err
    assert "NORMAL" in result.err  # lists the samples there are
    assert not out.exists()


def test_usage_error_in_a_real_process() -> None:
    proc = run_subprocess("annotate", VCF, "--bogus")
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert err.startswith("mtorvar: error: No such option: --bogus")
    assert err.count("\n") == 1


# ----------------------------------------------------------------------------- exit 3
@pytest.mark.parametrize("rules_dir", BROKEN_RULE_DIRS, ids=lambda p: p.name)
def test_broken_rule_dirs_exit_3_listing_problems(cli: CliRunner, tmp_path: Path,
                                                  rules_dir: Path) -> None:
    out = tmp_path / "r.json"
    result = cli("annotate", VCF, "--rules", rules_dir, "-o", out)
    assert result.code == 3, result.err
    first, *problems = result.err_lines
    assert first.startswith("mtorvar: error: ")
    assert problems  # every problem on its own line, naming file and line
    for problem in problems:
        assert problem.startswith("  - ")
        assert rules_dir.name in problem
    assert "Traceback" not in result.err
    assert not out.exists()


def test_missing_rules_dir_exit_3(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("annotate", VCF, "--rules", tmp_path / "absent", "-o", tmp_path / "r.json")
    assert result.code == 3, result.err
    assert result.err_lines[0].startswith("mtorvar: error: ")


def test_valid_override_dir_is_accepted(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = cli("annotate", VCF, "--rules", FIXTURES / "rules_override", "-o", out, "-q")
    assert result.code == 0, result.err
    assert json.loads(out.read_text())["knowledge_base"]["extra_rule_dirs"]


# ----------------------------------------------------------------------------- exit 4
def _explode(*args: object, **kwargs: object) -> None:
    raise RuntimeError("simulated stage failure")


def test_internal_error_exit_4_asks_for_a_bug_report(
        monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    monkeypatch.setattr("mtorvar.pipeline.observe_variants", _explode)
    out = tmp_path / "r.json"
    out.write_text("previous run\n")
    code = main(["annotate", str(VCF), "-o", str(out)])
    err = capfd.readouterr().err
    assert code == 4
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("mtorvar: error: internal error: RuntimeError: simulated")
    assert "bug" in lines[0]
    assert "--debug" in lines[0]
    assert "Traceback" not in err
    assert out.read_text() == "previous run\n"  # untouched


def test_debug_reraises_with_the_traceback(monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    monkeypatch.setattr("mtorvar.pipeline.observe_variants", _explode)
    with pytest.raises(RuntimeError, match="simulated stage failure"):
        main(["annotate", str(VCF), "-o", str(tmp_path / "r.json"), "--debug"])


def test_debug_shows_traceback_of_input_errors_too(tmp_path: Path) -> None:
    proc = run_subprocess("annotate", tmp_path / "absent.vcf", "--debug")
    assert proc.returncode != 0
    assert b"Traceback" in proc.stderr
    quiet = run_subprocess("annotate", tmp_path / "absent.vcf")
    assert quiet.returncode == 1
    assert b"Traceback" not in quiet.stderr


def test_internal_error_in_a_real_process(tmp_path: Path) -> None:
    """A stage that raises in a real process: exit 4, one line, no traceback."""
    script = tmp_path / "boom.py"
    script.write_text(
        "import sys\n"
        "import mtorvar.pipeline as p\n"
        "def boom(*a, **k):\n"
        "    raise KeyError('simulated')\n"
        "p.annotate_variants = boom\n"
        "from mtorvar.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n")
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, str(script), "annotate", str(VCF), "-o",
                           str(tmp_path / "r.json")], capture_output=True, cwd=ROOT, check=False,
                          timeout=120)
    assert proc.returncode == 4
    err = proc.stderr.decode()
    assert err.startswith("mtorvar: error: internal error: KeyError")
    assert err.count("\n") == 1
    assert not (tmp_path / "r.json").exists()


def test_rule_problems_stay_one_per_line(cli: CliRunner, tmp_path: Path) -> None:
    """A problem quoting a multi-line key or value must not break the listing."""
    # the rule ID holds a newline, which the problems quote
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "site.yaml").write_text('rules:\n  - id: "SITE\\nX"\n    gene: MTOR\n')
    result = cli("annotate", VCF, "--rules", rules, "-o", tmp_path / "r.json")
    assert result.code == 3, result.err
    first, *problems = result.err.splitlines()
    assert first.startswith("mtorvar: error: ")
    assert problems
    assert all(line.startswith("  - ") for line in problems), result.err
