"""Self-contained HTML report: inline CSS, no script, nothing fetched (PubMed links are hrefs).

Sections: tumour verdict, sample × drug-class heatmap, variant × sample presence matrix, rules
(anchors every call links to), warnings, provenance, disclaimer. Every value from the report
is escaped; cells carry ``data-*`` attributes so tests (and users' scripts) can read them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

from mtorvar.models.base import DRUG_CLASSES
from mtorvar.models.report import MatchOut, Report, VariantOut

CLASS_LABELS = {
    "rapalog": "Rapalog (everolimus, sirolimus, temsirolimus)",
    "torki": "TORKi (sapanisertib, vistusertib, AZD8055)",
    "dual_pi3k_mtor": "Dual PI3K/mTOR (dactolisib, gedatolisib)",
    "rapalink": "RapaLink-1",
}
STATE_SYMBOLS = {"present": "●", "absent": "○", "not_assessed": "?", "filtered": "F"}

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
margin:1.5rem auto;max-width:1200px;padding:0 1rem;color:#1d2330;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:2px solid #dfe3ea;padding-bottom:.2rem}
.sub{color:#5b6475;margin-top:0}.disclaimer{background:#fff6d6;border:1px solid #e8c95a;
padding:.5rem .8rem;border-radius:4px;font-weight:600}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #d3d8e0;
padding:.35rem .55rem;text-align:left;vertical-align:top;font-size:.92rem}
th{background:#f2f4f8}.verdicts{display:flex;flex-wrap:wrap;gap:.7rem}
.card{border:1px solid #d3d8e0;border-radius:6px;padding:.6rem .8rem;min-width:14rem}
.call{margin-right:.25rem}
.card .call{font-size:1.15rem;font-weight:700;display:inline-block;padding:.1rem .5rem;
border-radius:4px;margin:.2rem 0}
.sensitive{background:#2e9d5b;color:#fff}.resistant{background:#c8333a;color:#fff}
.reduced{background:#f0a33a;color:#1d2330}.no_effect{background:#9aa3b2;color:#fff}
.unknown{background:#e6e9ef;color:#4a5263}
.heterogeneous{background:repeating-linear-gradient(45deg,#7b4fc9,#7b4fc9 6px,#9a77da 6px,
#9a77da 12px);color:#fff}
td.heat{min-width:8rem;font-weight:600}td.heat a{color:inherit;font-weight:400;font-size:.8rem}
td.heat .unc{display:block;margin-top:.2rem;font-weight:400;font-size:.75rem;opacity:.9}
td.state{text-align:center;font-size:1rem}td.state small{display:block;font-size:.72rem;
color:#5b6475}.present{background:#dff2e6}.absent{background:#fff}.not_assessed{background:#f3f3f3;
color:#7a7a7a}.filtered{background:#fde2e2}
.rule{border-left:4px solid #7b8cff;padding:.3rem .8rem;margin:.6rem 0;background:#f7f8fc}
.rule:target{background:#fff8c4}.mono{font-family:ui-monospace,Menlo,Consolas,monospace}
ul.warn li{color:#8a4b00}dl.prov{display:grid;grid-template-columns:14rem 1fr;gap:.2rem .8rem}
dl.prov dt{font-weight:600}dl.prov dd{margin:0;word-break:break-all}
"""


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def rule_anchor(rule_id: str) -> str:
    """A valid, stable fragment id for a rule."""
    return "rule-" + re.sub(r"[^A-Za-z0-9_.-]", "_", rule_id)


def _rule_link(rule_id: str) -> str:
    return f'<a href="#{_e(rule_anchor(rule_id))}">{_e(rule_id)}</a>'


def _links(rule_ids: Iterable[str]) -> str:
    return ", ".join(_rule_link(r) for r in rule_ids)


def pubmed_link(citation: str) -> str:
    """``PMID:123`` → link to PubMed; anything else is shown as text."""
    match = re.fullmatch(r"(?:PMID:?\s*)?(\d{1,9})", citation.strip())
    if not match:
        return _e(citation)
    return (f'<a href="https://pubmed.ncbi.nlm.nih.gov/{match.group(1)}/" rel="noreferrer">'
            f"PMID:{match.group(1)}</a>")


def variant_label(v: VariantOut) -> str:
    """What a person calls the variant: gene and protein change, else coding change, else id."""
    change = v.hgvs_p or v.hgvs_c or f"{v.chrom}:{v.pos} {v.ref}>{v.alt}"
    return f"{v.gene} {change}" if v.gene else change


def _verdict(report: Report) -> str:
    tumor = report.tumor
    if not tumor.predictions:
        return ('<section id="verdict"><h2>Tumour verdict</h2><p class="verdict-none">'
                "No variant in MTOR, TSC1, TSC2, PIK3CA or KRAS was found; no prediction is made."
                "</p></section>")
    cards = []
    for cls in DRUG_CLASSES:
        pred = tumor.predictions.get(cls)
        if pred is None:
            continue
        by = ", ".join(f"{_e(s)}: {_e(c)}" for s, c in pred.by_sample.items())
        cards.append(f'<div class="card" data-class="{cls}" data-call="{_e(pred.call)}">'
                     f"<div>{_e(CLASS_LABELS[cls])}</div>"
                     f'<span class="call {_e(pred.call)}">{_e(pred.call)}</span>'
                     f'<div class="sub">{by}</div></div>')
    effective = ", ".join(_e(c) for c in tumor.effective_in_all_samples) or "none"
    labels = {v.id: variant_label(v) for v in report.variants}
    subclones = ", ".join(_e(labels.get(k, k)) for k in tumor.resistant_subclones) or "none"
    return ('<section id="verdict"><h2>Tumour verdict</h2>'
            f'<div class="verdicts">{"".join(cards)}</div>'
            f'<p><strong>Effective in all samples:</strong> <span id="effective">{effective}'
            "</span></p>"
            f'<p><strong>Resistant subclones:</strong> <span id="subclones">{subclones}'
            "</span></p></section>")


def _heatmap(report: Report) -> str:
    if not report.regions:
        return ""
    labels = {v.id: variant_label(v) for v in report.variants}
    head = "".join(f"<th>{_e(CLASS_LABELS[c])}</th>" for c in DRUG_CLASSES)
    rows = []
    for region in report.regions:
        cells = []
        for cls in DRUG_CLASSES:
            call = region.predictions.get(cls)
            if call is None:
                cells.append('<td class="heat unknown" data-call="">–</td>')
                continue
            hidden = ", ".join(labels.get(k, k) for k in call.uncertain_because)
            unc = f'<span class="unc">uncertain: {_e(hidden)}</span>' if hidden else ""
            cells.append(f'<td class="heat {_e(call.call)}" data-sample="{_e(region.sample)}" '
                         f'data-class="{cls}" data-call="{_e(call.call)}">{_e(call.call)}'
                         f"<br>{_links(call.because)}{unc}</td>")
        label = _e(region.sample) + (f" ({_e(region.region)})"
                                     if region.region and region.region != region.sample else "")
        hits = "".join(f'<div class="unc">{_e(note)}</div>' for note in region.notes)
        rows.append(f"<tr><th>{label}{hits}</th>{''.join(cells)}</tr>")
    return ('<section id="heatmap"><h2>Drug class by sample</h2>'
            f'<table class="heatmap"><tr><th>Sample</th>{head}</tr>{"".join(rows)}</table>'
            "</section>")


def _state_cell(v: VariantOut, sample: str) -> str:
    obs = v.observations.get(sample)
    if obs is None:
        return f'<td class="state not_assessed" data-sample="{_e(sample)}" data-state="">–</td>'
    detail = []
    if obs.vaf is not None:
        detail.append(f"VAF {obs.vaf:.2f}")
    if obs.alt_reads is not None and obs.depth is not None:
        detail.append(f"{obs.alt_reads}/{obs.depth}")
    small = f"<small>{_e(' '.join(detail))}</small>" if detail else ""
    return (f'<td class="state {_e(obs.state)}" data-sample="{_e(sample)}" '
            f'data-state="{_e(obs.state)}" title="{_e(obs.state)}">'
            f"{STATE_SYMBOLS.get(obs.state, '?')}{small}</td>")


def _matrix(report: Report) -> str:
    if not report.variants:
        return ('<section id="matrix"><h2>Variants</h2><p>No variant in the five genes.</p>'
                "</section>")
    samples = [s.name for s in report.samples]
    head = "".join(f"<th>{_e(s)}</th>" for s in samples)
    rows = []
    for v in report.variants:
        cells = "".join(_state_cell(v, s) for s in samples)
        calls = " ".join(f'<span class="call {_e(v.predictions[c].call)}">{c}: '
                         f"{_e(v.predictions[c].call)}</span>"
                         for c in DRUG_CLASSES if c in v.predictions)
        rules = _links(m.rule_id for m in v.matches) or "—"
        rows.append(f'<tr data-variant="{_e(v.id)}"><th>{_e(variant_label(v))}'
                    f'<div class="sub mono">{_e(v.id)}</div></th>'
                    f"<td>{_e(', '.join(v.consequence))}<div class=\"sub\">"
                    f"{_e(', '.join(v.domains))}</div></td>"
                    f"<td>{_e(v.clonality)}</td>{cells}<td>{rules}<div>{calls}</div></td></tr>")
    legend = " ".join(f"{sym} {_e(state)}" for state, sym in STATE_SYMBOLS.items())
    return ('<section id="matrix"><h2>Variants by sample</h2>'
            f'<p class="sub">{legend}</p><table class="matrix"><tr><th>Variant</th>'
            f"<th>Consequence / domain</th><th>Clonality</th>{head}<th>Rules</th></tr>"
            f"{''.join(rows)}</table></section>")


def _collect_rules(report: Report) -> tuple[dict[str, MatchOut], list[str]]:
    """Rules with details (from variant matches) and IDs cited only by region calls."""
    detailed: dict[str, MatchOut] = {}
    for v in report.variants:
        for m in v.matches:
            detailed.setdefault(m.rule_id, m)
    cited = {r for region in report.regions for c in region.predictions.values()
             for r in c.because}
    cited |= {r for region in report.regions for r in region.phenotype_matches}
    return detailed, sorted(cited - set(detailed))


def _rule_block(m: MatchOut) -> str:
    preds = ", ".join(f"{c}: {_e(m.predictions[c].call)}" for c in DRUG_CLASSES
                      if c in m.predictions)
    cites = ", ".join(pubmed_link(c) for c in m.citations) or "none"
    notes = f"<p>{_e('; '.join(m.notes))}</p>" if m.notes else ""
    return (f'<div class="rule" id="{_e(rule_anchor(m.rule_id))}">'
            f'<strong class="mono">{_e(m.rule_id)}</strong> — {_e(m.title)}'
            f"<p>{_e(m.mechanism)}</p><p>Evidence level <strong>{_e(m.evidence_level)}</strong>"
            f" · match: {_e(m.specificity)} · predicts {preds}</p>"
            f"<p>Citations: {cites}</p>{notes}</div>")


def _rules(report: Report) -> str:
    detailed, bare = _collect_rules(report)
    if not detailed and not bare:
        return ""
    blocks = [_rule_block(detailed[k]) for k in sorted(detailed)]
    blocks += [f'<div class="rule" id="{_e(rule_anchor(r))}"><strong class="mono">{_e(r)}'
               "</strong> — region-level rule (co-occurrence or phenotype); see "
               "<span class=\"mono\">mtorvar rules show</span> for its details.</div>"
               for r in bare]
    return f'<section id="rules"><h2>Rules</h2>{"".join(blocks)}</section>'


def _warnings(report: Report) -> str:
    items = [_e(w) for w in report.warnings]
    items += [f"{_e(variant_label(v))}: {_e(w)}" for v in report.variants for w in v.warnings]
    if not items:
        return ""
    lis = "".join(f"<li>{w}</li>" for w in items)
    return f'<section id="warnings"><h2>Warnings</h2><ul class="warn">{lis}</ul></section>'


def _provenance(report: Report) -> str:
    params = ", ".join(f"{k}={v}" for k, v in sorted(report.parameters.items()))
    inputs = ", ".join(report.input.paths) or report.input.path
    pairs = [
        ("Tool", f"{report.tool.name} {report.tool.version}"),
        ("Knowledge base", f"{report.knowledge_base.version} "
                           f"(sha256 {report.knowledge_base.sha256})"),
        ("Input", inputs),
        ("Input sha256", report.input.sha256 or "—"),
        ("Genome build", f"{report.input.genome_build or 'undetermined'}"
                         f" — {report.input.build_evidence or 'no evidence recorded'}"),
        ("Parameters", params or "—"),
        ("Command line", " ".join(report.command_line) or "—"),
        ("Created", report.created or "—"),
        ("Schema version", report.schema_version),
    ]
    rows = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in pairs)
    return f'<section id="provenance"><h2>Provenance</h2><dl class="prov">{rows}</dl></section>'


def render_html(report: Report) -> bytes:
    """The whole report as one HTML5 document (UTF-8 bytes)."""
    build = report.input.genome_build or "build undetermined"
    n_tumour = sum(1 for s in report.samples if s.role == "tumor")
    body = "".join((
        f"<h1>mtorvar report</h1><p class=\"sub\">{_e(report.input.path)} · {_e(build)} · "
        f"{n_tumour} tumour sample(s) · {len(report.variants)} variant(s)</p>",
        f'<p class="disclaimer" id="disclaimer">{_e(report.disclaimer)}</p>',
        _verdict(report), _heatmap(report), _matrix(report), _rules(report),
        _warnings(report), _provenance(report),
    ))
    page = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">"
            f"<title>mtorvar report: {_e(report.input.path)}</title>"
            f"<style>{_CSS}</style></head><body>{body}</body></html>\n")
    return page.encode("utf-8")
