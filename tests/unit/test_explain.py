"""``explain``: the issue's example notations, the JSON shape and the text rendering."""

from __future__ import annotations

import json

import pytest

from mtorvar.engine.explain import explain, render_explain_json, render_explain_text
from mtorvar.kb.loader import load_knowledge_base
from mtorvar.models import DrugClass
from tests.unit.test_match_notation import REAL_PARSER, annotate

KB = load_knowledge_base()

EXPECTED: dict[str, tuple[str, dict[DrugClass, str]]] = {
    "MTOR:p.F2108L": ("MTOR-FRB-F2108", {"rapalog": "resistant", "torki": "sensitive",
                                         "rapalink": "sensitive"}),
    "MTOR:p.Phe2108Leu": ("MTOR-FRB-F2108", {"rapalog": "resistant"}),
    "TSC2:p.Q1178*": ("TSC2-LOF", {"rapalog": "sensitive"}),
    "TSC2:p.L1750Afs*25": ("TSC2-LOF", {"rapalog": "sensitive"}),
    "KRAS:p.G12D": ("KRAS-G12", {"rapalog": "resistant"}),
}


@pytest.mark.parametrize("notation", sorted(EXPECTED))
def test_issue_examples(notation: str) -> None:
    rule_id, expected = EXPECTED[notation]
    result = explain(notation, KB, annotate)
    assert [m.rule_id for m in result.matches] == [rule_id]
    for drug, call in expected.items():
        assert result.predictions[drug].call == call
        assert rule_id in result.predictions[drug].because


@pytest.mark.skipif(not REAL_PARSER, reason="mtorvar.genome.notation not written yet")
@pytest.mark.parametrize("notation", ["MTOR:c.6322T>C", "NM_004958.4:c.6322T>C"])
def test_coding_notations_reach_the_same_rule(notation: str) -> None:  # pragma: no cover
    result = explain(notation, KB)
    assert result.hgvs_p == "p.F2108L"
    assert result.predictions["rapalog"].call == "resistant"


def test_json_shape() -> None:
    data = json.loads(render_explain_json(explain("MTOR:p.F2108L", KB, annotate)))
    assert {"gene", "hgvs_p", "matches", "predictions"} <= set(data)
    assert data["gene"] == "MTOR"
    assert data["hgvs_p"] == "p.F2108L"
    assert data["predictions"]["rapalog"]["call"] == "resistant"
    assert set(data["predictions"]) == {"rapalog", "torki", "dual_pi3k_mtor", "rapalink"}
    assert data["matches"][0]["rule_id"] == "MTOR-FRB-F2108"
    assert data["knowledge_base"]["sha256"] == KB.sha256
    assert render_explain_json(explain("MTOR:p.F2108L", KB, annotate)) == \
        render_explain_json(explain("MTOR:p.F2108L", KB, annotate))


def test_unknown_variant_explains_as_all_unknown() -> None:
    result = explain("MTOR:p.L2115P", KB, annotate)
    assert result.matches == ()
    assert {c.call for c in result.predictions.values()} == {"unknown"}
    assert "no rule in the knowledge base matches" in render_explain_text(result)


def test_text_rendering_says_which_rule_fires_and_why() -> None:
    text = render_explain_text(explain("TSC2:p.Q1178*", KB, annotate))
    assert "rule TSC2-LOF (gene, evidence C)" in text
    assert "why: Without TSC2's GAP activity" in text
    assert "PMID:25295501" in text
    assert "second allele not assessed" in text
    assert "rapalog" in text
    assert "sensitive [level C] because TSC2-LOF" in text
