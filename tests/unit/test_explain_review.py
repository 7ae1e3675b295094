"""``mtorvar explain`` on the notations the scientific review lists (issue 3, item 9), through
the real notation parser and the CLI entry point, so exit codes are checked too."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mtorvar.cli import main
from tests.unit.test_match_notation import REAL_PARSER

pytestmark = pytest.mark.skipif(not REAL_PARSER, reason="mtorvar.genome.notation not present")

ALL_SENSITIVE = dict.fromkeys(("rapalog", "torki", "dual_pi3k_mtor", "rapalink"), "sensitive")

# notation -> (rules that fire, expected call per class; classes left out must be "unknown")
EXPECTED: dict[str, tuple[list[str], dict[str, str]]] = {
    "MTOR:p.F2108L": (["MTOR-FRB-F2108"], {"rapalog": "resistant", "torki": "sensitive",
                                          "rapalink": "sensitive", "dual_pi3k_mtor": "sensitive"}),
    "MTOR:p.Phe2108Leu": (["MTOR-FRB-F2108"], {"rapalog": "resistant", "torki": "sensitive",
                                              "rapalink": "sensitive",
                                              "dual_pi3k_mtor": "sensitive"}),
    "MTOR:c.6322T>C": (["MTOR-FRB-F2108"], {"rapalog": "resistant", "torki": "sensitive",
                                           "rapalink": "sensitive", "dual_pi3k_mtor": "sensitive"}),
    "NM_004958.4:c.6322T>C": (["MTOR-FRB-F2108"], {"rapalog": "resistant", "torki": "sensitive",
                                                  "rapalink": "sensitive",
                                                  "dual_pi3k_mtor": "sensitive"}),
    "TSC2:p.Q1178*": (["TSC2-LOF"], ALL_SENSITIVE),
    "TSC2:p.L1750Afs*25": (["TSC2-LOF"], ALL_SENSITIVE),
    "TSC1:p.Q55*": (["TSC1-LOF"], ALL_SENSITIVE),
    "KRAS:p.G12D": (["KRAS-G12"], {"rapalog": "resistant", "torki": "reduced",
                                   "dual_pi3k_mtor": "reduced"}),
    "KRAS:p.G12C": (["KRAS-G12"], {"rapalog": "resistant", "torki": "reduced",
                                   "dual_pi3k_mtor": "reduced"}),
    "PIK3CA:p.H1047R": (["PIK3CA-HOTSPOT-KINASE"], {"rapalog": "no_effect",
                                                    "dual_pi3k_mtor": "sensitive"}),
    "MTOR:p.S2215Y": (["MTOR-ACT-HYPERACTIVE"], {"rapalog": "sensitive", "torki": "reduced",
                                                 "rapalink": "sensitive"}),
    "MTOR:p.M2327I": (["MTOR-KIN-M2327I"], {"rapalog": "sensitive", "torki": "resistant",
                                            "rapalink": "sensitive",
                                            "dual_pi3k_mtor": "reduced"}),
    "MTOR:p.E2014K": (["MTOR-ACT-E2014K-E2419K"], {"rapalog": "sensitive"}),
    "MTOR:p.L2115P": ([], {}),        # well-formed, no rule knows it
    "PIK3CA:p.R88Q": ([], {}),
    "KRAS:p.D33E": ([], {}),
}

LEVELS = {  # (notation, class) -> evidence level of the combined call
    ("MTOR:p.F2108L", "rapalog"): "C", ("MTOR:p.F2108L", "torki"): "D",
    ("MTOR:p.F2108L", "dual_pi3k_mtor"): "E", ("TSC2:p.Q1178*", "rapalog"): "C",
    ("TSC2:p.Q1178*", "torki"): "E", ("PIK3CA:p.H1047R", "rapalog"): "B",
    ("PIK3CA:p.H1047R", "dual_pi3k_mtor"): "D", ("KRAS:p.G12D", "rapalog"): "C",
    ("MTOR:p.S2215Y", "torki"): "E", ("MTOR:p.M2327I", "rapalog"): "D",
}


def run_json(notation: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["explain", notation, "--json"])
    out = capsys.readouterr().out
    return code, (json.loads(out) if out.strip() else {})


@pytest.mark.parametrize("notation", sorted(EXPECTED))
def test_explain_calls(notation: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = run_json(notation, capsys)
    assert code == 0
    rule_ids, expected = EXPECTED[notation]
    assert [m["rule_id"] for m in data["matches"]] == rule_ids
    predictions = data["predictions"]
    assert isinstance(predictions, dict)
    for drug in ("rapalog", "torki", "dual_pi3k_mtor", "rapalink"):
        assert predictions[drug]["call"] == expected.get(drug, "unknown"), drug
        if (notation, drug) in LEVELS:
            assert predictions[drug]["evidence_level"] == LEVELS[(notation, drug)], drug


def test_coding_and_protein_notations_agree(capsys: pytest.CaptureFixture[str]) -> None:
    outs = [run_json(n, capsys)[1] for n in ("MTOR:p.F2108L", "MTOR:c.6322T>C",
                                             "NM_004958.4:c.6322T>C")]
    assert {o["hgvs_p"] for o in outs} == {"p.F2108L"}
    assert outs[1]["predictions"] == outs[2]["predictions"] == outs[0]["predictions"]


@pytest.mark.parametrize("notation", ["BRAF:p.V600E", "EGFR:c.2573T>G", "garbage", "MTOR:",
                                      "MTOR:p.", "TSC2-Q1178*"])
def test_not_a_variant_in_the_five_genes_exits_1(notation: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", notation]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "error" in captured.err


def test_unknown_variant_text_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "MTOR:p.L2115P"]) == 0
    assert "no rule in the knowledge base matches" in capsys.readouterr().out
