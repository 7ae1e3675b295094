"""Console summary: sample × class table, presence matrix, summary lines."""

from __future__ import annotations

from io import StringIO

from rich.console import Console

from mtorvar.models.report import SampleInfo, VariantOut
from mtorvar.models.variant import Observation
from mtorvar.report.console import LEGEND, print_report, summary_lines
from tests.unit.report_factory import empty_report, make_report


def _render(report: object, width: int = 140, color: bool = False) -> str:
    buffer = StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, color_system=(
        "truecolor" if color else None))
    print_report(report, console)  # type: ignore[arg-type]
    return buffer.getvalue()


def _row(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.strip("│ ┃").startswith(start))


def test_prediction_table_rows_and_verdict() -> None:
    text = _render(make_report())
    assert "Predicted response per region" in text
    for cls in ("rapalog", "torki", "dual_pi3k_mtor", "rapalink"):
        assert cls in text
    r2 = _row(text, "R2")
    assert r2.index("resistant") < r2.index("sensitive")  # rapalog column first
    tumour = _row(text, "TUMOUR")
    assert tumour.split().count("heterogeneous") == 3  # only rapalink agrees everywhere
    assert "HYPOXIA-REGION" in _row(text, "R3")
    assert "uncertain: 2 variant(s) not assessed" in text


def test_presence_matrix_glyphs_and_legend() -> None:
    text = _render(make_report())
    assert LEGEND in text
    assert "N (N)" in text  # the normal is marked
    mtor = _row(text, "MTOR p.F2108L")
    assert "private" in mtor
    assert mtor.count("○") == 3
    assert mtor.count("●") == 1
    kras_v = _row(text, "KRAS p.G12V")
    assert kras_v.count("?") == 2
    assert "undetermined" in kras_v
    assert _row(text, "TSC2 p.Q1178*").count("●") == 3
    assert "MTOR c.4570+126A>G" in text  # no protein change: the c. notation


def test_summary_lines() -> None:
    lines = summary_lines(make_report())
    assert lines[0].startswith("mtorvar: 3 tumour sample(s), normal N; 6 variant(s)")
    assert "1 private" not in lines[0]  # counts are per class
    assert "2 private" in lines[0]
    assert lines[1] == "predicted effective in every tumour sample: rapalink"
    assert "resistant subclones: MTOR p.F2108L (1:11127039:A>G)" in lines
    assert "1 warning(s); see the report's 'warnings'" in lines


def test_colours_when_terminal() -> None:
    text = _render(make_report(), color=True)
    assert "\x1b[" in text  # styled
    plain = _render(make_report())
    assert "\x1b[" not in plain


def test_empty_report_is_brief() -> None:
    text = _render(empty_report())
    assert "0 variant(s)" in text
    assert "Variants per sample" not in text
    assert "predicted effective in every tumour sample: none" in text


def test_many_samples_collapse_to_glyph_strings() -> None:
    names = [f"R{i:02d}" for i in range(1, 56)]
    states = ["present" if i % 2 else "absent" for i in range(55)]
    variant = VariantOut(id="16:2080299:C>T", chrom="16", pos=2080299, ref="C", alt="T",
                         gene="TSC2", hgvs_p="p.Q1178*", clonality="shared",
                         observations={n: Observation(state=s)
                                       for n, s in zip(names, states, strict=True)})
    report = make_report(samples=tuple(SampleInfo(name=n) for n in names), variants=(variant,),
                         regions=(), warnings=())
    text = _render(report, width=100)
    glyphs = "".join("●" if s == "present" else "○" for s in states)
    assert glyphs in text
    assert "samples: 1=R01 2=R02" in text
    assert max(len(line) for line in text.splitlines()) <= 100
