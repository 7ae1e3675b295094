"""The stderr summary reads well at 80 columns; the progress line shows only on a terminal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from mtorvar.models.base import DRUG_CLASSES
from mtorvar.models.report import Report, SampleInfo
from mtorvar.pipeline import AnnotateOptions, build_report
from mtorvar.report.console import CLASS_HEADERS, print_report
from mtorvar.report.progress import LONG_INPUT_BYTES, progress_wanted, read_progress
from tests.cli.conftest import EXAMPLE, CliRunner
from tests.unit.report_factory import make_report

CALLS = ("sensitive", "resistant", "reduced", "no_effect", "unknown", "heterogeneous")


def _render(report: Report, width: int) -> str:
    buffer = io.StringIO()
    print_report(report, Console(file=buffer, width=width, color_system=None))
    return buffer.getvalue()


def _example_report() -> Report:
    return build_report(AnnotateOptions(inputs=(str(EXAMPLE / "multiregion.vcf"),),
                                        samples=str(EXAMPLE / "samples.tsv")))


def _table_rows(text: str) -> list[list[str]]:
    """Cells of the prediction table's body rows (between its first ┡ and └)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("┡"))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("└"))
    return [[cell.strip() for cell in line.strip("│").split("│")]
            for line in lines[start + 1:end] if line.startswith("│")]


def _assert_whole(report: Report, text: str, width: int) -> None:
    assert max(len(line) for line in text.splitlines()) <= width
    assert "…" not in text
    header = next(line for line in text.splitlines() if line.startswith("┃"))
    assert "┃┃" not in header  # no empty column
    assert "┳┓" not in text
    assert "││" not in text
    rows = _table_rows(text)
    expected = [r.sample for r in report.regions] + ["TUMOUR"]
    assert [row[0].split(" (")[0] for row in rows] == expected
    for row, region in zip(rows, report.regions, strict=False):
        assert row[1:5] == [region.predictions[c].call for c in DRUG_CLASSES]
    tumour = rows[-1][1:5]
    assert tumour == [report.tumor.predictions[c].call for c in DRUG_CLASSES]
    for cell in (c for row in rows for c in row[1:5]):
        assert cell in CALLS


@pytest.mark.parametrize("width", [80, 100, 140])
def test_example_prediction_table_is_whole(width: int) -> None:
    report = _example_report()
    text = _render(report, width)
    _assert_whole(report, text, width)
    for header in CLASS_HEADERS.values():
        assert header in text
    assert "dual = dual_pi3k_mtor" in text  # the short header is explained


def test_heterogeneous_calls_fit_at_80_columns() -> None:
    report = make_report()  # every class but one heterogeneous, plus notes
    text = _render(report, 80)
    _assert_whole(report, text, 80)
    assert text.count("heterogeneous") >= 3
    assert "HYPOXIA-REGION" in text  # notes that do not fit move under the table, whole
    note_line = next(line for line in text.splitlines() if "HYPOXIA-REGION" in line)
    assert note_line.startswith("R3")


def test_notes_stay_in_the_table_when_wide() -> None:
    text = _render(make_report(), 160)
    row = next(line for line in text.splitlines() if line.startswith("│ R3"))
    assert "HYPOXIA-REGION" in row


def test_long_sample_names_do_not_truncate_calls() -> None:
    base = make_report()
    renames = {s.name: f"{s.name}_primary_tumour_block" for s in base.samples}
    regions = tuple(r.model_copy(update={"sample": renames[r.sample], "region": None})
                    for r in base.regions)
    samples = tuple(SampleInfo(name=renames[s.name], role=s.role) for s in base.samples)
    report = base.model_copy(update={"regions": regions, "samples": samples})
    text = _render(report, 80)
    for region in regions:
        assert region.sample in text
    rows = [row for row in _table_rows(text) if any(row[1:5])]  # not a wrapped name's 2nd line
    assert len(rows) == len(regions) + 1
    for cell in (c for row in rows for c in row[1:5]):
        assert cell in CALLS
    assert "…" not in text  # the presence matrix collapses to a numbered key instead
    assert "samples: 1=N_primary_tumour_block(N)" in text


def test_cli_summary_at_80_columns(cli: CliRunner, monkeypatch: pytest.MonkeyPatch,
                                   tmp_path: Path) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = cli("annotate", EXAMPLE / "multiregion.vcf", "--samples", EXAMPLE / "samples.tsv",
                 "-o", tmp_path / "r.json")
    assert result.code == 0, result.err
    assert "Predicted response per region" in result.err
    assert "…" not in result.err
    assert max(len(line) for line in result.err.splitlines()) <= 80
    assert "┳┓" not in result.err


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


class _ClosedStream:
    def isatty(self) -> bool:
        raise ValueError("I/O operation on closed file")


def test_progress_only_on_a_terminal_for_long_inputs(tmp_path: Path) -> None:
    big = tmp_path / "big.vcf"
    with big.open("wb") as handle:
        handle.truncate(LONG_INPUT_BYTES)
    small = EXAMPLE / "multiregion.vcf"
    assert progress_wanted(str(big), quiet=False, stream=_Tty())
    assert progress_wanted("-", quiet=False, stream=_Tty())
    assert not progress_wanted(str(big), quiet=True, stream=_Tty())
    assert not progress_wanted(str(big), quiet=False, stream=io.StringIO())
    assert not progress_wanted(str(small), quiet=False, stream=_Tty())
    assert not progress_wanted(str(big), quiet=False, stream=_ClosedStream())


def test_progress_line_renders_and_ticks() -> None:
    sink = io.StringIO()
    with read_progress("/data/sample.vcf.gz", True, file=sink) as tick:
        tick(200)
    assert "reading sample.vcf.gz" in sink.getvalue()
    silent = io.StringIO()
    with read_progress("x.vcf", False, file=silent) as tick:
        tick(100)
    assert silent.getvalue() == ""


def test_no_progress_when_stderr_is_not_a_terminal(cli: CliRunner, tmp_path: Path) -> None:
    big = tmp_path / "big.vcf"
    text = (EXAMPLE / "multiregion.vcf").read_text()
    filler = "##padding=" + "x" * 100 + "\n"  # header lines: cheap bytes that make it long
    head, body = text.split("#CHROM", 1)
    big.write_text(head + filler * (LONG_INPUT_BYTES // len(filler) + 1) + "#CHROM" + body)
    result = cli("annotate", big, "-o", tmp_path / "r.json")
    assert result.code == 0, result.err
    assert "reading big.vcf" not in result.err
    assert "\x1b[" not in result.err


def test_presence_matrix_is_capped_with_rule_matches_first() -> None:
    from mtorvar.report.console import MATRIX_ROWS, shown_variants

    report = make_report()
    plain = report.variants[-1].model_copy(update={"matches": ()})
    many = [plain.model_copy(update={"id": f"{plain.id}#{i}"}) for i in range(MATRIX_ROWS + 5)]
    big = report.model_copy(update={"variants": (*report.variants, *many)})
    shown = shown_variants(big)
    assert len(shown) == MATRIX_ROWS
    assert all(v in shown for v in report.variants if v.matches)
    order = [v.id for v in big.variants]
    assert [v.id for v in shown] == sorted((v.id for v in shown), key=order.index)
