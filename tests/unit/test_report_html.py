"""HTML report: self-contained, escaped, every call linked to its rule."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from mtorvar.models.report import SampleInfo
from mtorvar.report.html import pubmed_link, render_html, rule_anchor
from tests.unit.report_factory import empty_report, make_report


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _parse(raw: bytes) -> list[tuple[str, dict[str, str | None]]]:
    collector = _Collector()
    collector.feed(raw.decode())
    return collector.tags


def test_self_contained_no_script_no_external_resources() -> None:
    raw = render_html(make_report())
    tags = _parse(raw)
    names = {t for t, _ in tags}
    assert "script" not in names
    assert "link" not in names
    assert "img" not in names
    assert "iframe" not in names
    for _, attrs in tags:
        assert "src" not in attrs
    text = raw.decode()
    assert "@import" not in text
    assert "url(" not in text
    hrefs = [str(a.get("href")) for t, a in tags if t == "a"]
    external = [h for h in hrefs if not h.startswith("#")]
    assert external
    assert all(str(h).startswith("https://pubmed.ncbi.nlm.nih.gov/") for h in external)


def test_every_rule_link_has_a_target() -> None:
    tags = _parse(render_html(make_report()))
    ids = {a["id"] for _, a in tags if a.get("id")}
    links = {str(a["href"])[1:] for t, a in tags if t == "a" and str(a.get("href")).startswith("#")}
    assert "rule-MTOR-FRB-F2108" in links
    assert "rule-HYPOXIA-REGION" in links  # region-only rule still gets an anchor
    assert links <= ids


def test_heatmap_and_matrix_cells() -> None:
    tags = _parse(render_html(make_report()))
    heat = {(a["data-sample"], a["data-class"]): a["data-call"]
            for t, a in tags if t == "td" and "data-class" in a}
    assert heat[("R2", "rapalog")] == "resistant"
    assert heat[("R2", "torki")] == "sensitive"
    assert heat[("R3", "rapalog")] == "reduced"
    assert len(heat) == 3 * 4
    rows = [a["data-variant"] for t, a in tags if t == "tr" and "data-variant" in a]
    assert rows[0] == "1:11127039:A>G"
    states = [a["data-state"] for t, a in tags if t == "td" and "data-state" in a]
    assert states[:4] == ["absent", "absent", "present", "absent"]


def test_verdict_rules_pubmed_provenance_disclaimer() -> None:
    text = render_html(make_report()).decode()
    assert "heterogeneous" in text
    assert "MTOR p.F2108L" in text
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/25295501/"' in text
    assert "Evidence level <strong>C</strong>" in text
    assert "Research use only; not a clinical diagnostic." in text
    assert "ab" * 32 in text
    assert "R2: low depth at KRAS codon 12" in text
    assert "germline-like" in text


def test_everything_is_escaped() -> None:
    evil = "<script>alert(1)</script>"
    report = make_report(samples=(SampleInfo(name=evil),), warnings=(f'"{evil}"',),
                         command_line=("mtorvar", evil))
    text = render_html(report).decode()
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_empty_report_says_so() -> None:
    text = render_html(empty_report()).decode()
    assert "No variant in MTOR, TSC1, TSC2, PIK3CA or KRAS" in text
    assert render_html(empty_report()) == render_html(empty_report())


def test_helpers() -> None:
    assert pubmed_link("PMID:123") == (
        '<a href="https://pubmed.ncbi.nlm.nih.gov/123/" rel="noreferrer">PMID:123</a>')
    assert pubmed_link("doi:10.1/x<y") == "doi:10.1/x&lt;y"
    assert re.fullmatch(r"rule-[A-Za-z0-9_.-]+", rule_anchor("a b/c\"d"))
