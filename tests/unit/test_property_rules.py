"""Property tests of the rule loader: any document in a site's rules folder ends in a loaded
knowledge base or a RuleSetError listing problems, never another exception; YAML tags that
build Python objects are refused and never executed."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtorvar.errors import RuleSetError
from mtorvar.kb.loader import load_knowledge_base

RULE_KEYS = ["id", "status", "gene", "title", "match", "mechanism", "predictions",
             "evidence_level", "citations", "examples", "curated", "tags", "overrides",
             "codon", "range", "fire", "no_fire", "call", "rapalog", "torki", "bogus"]
WORDS = ["MTOR", "KRAS", "TSC2", "active", "draft", "resistant", "sensitive", "C", "Z",
         "PMID:1", "KRAS:p.G12D", "p.F2108L", "12", "2026-01-01", "", "~", "null", "yes"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**9),
                    st.floats(allow_nan=True), st.sampled_from(WORDS),
                    st.text(max_size=20))
keys = st.one_of(st.sampled_from(RULE_KEYS), st.text(max_size=10))
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5),
                            st.dictionaries(keys, inner, max_size=6)),
    max_leaves=40)
rule_like = st.fixed_dictionaries(
    {"rules": st.lists(st.dictionaries(st.sampled_from(RULE_KEYS), documents, max_size=10),
                       max_size=3)})


def _load_text(text: str) -> None:
    """Load one file ``site.yaml`` with ``text`` from a fresh folder (the loader caches by
    path, so every example needs its own)."""
    with tempfile.TemporaryDirectory(prefix="mtorvar-rules-") as folder:
        (Path(folder) / "site.yaml").write_text(text, encoding="utf-8")
        try:
            kb = load_knowledge_base([Path(folder)])
        except RuleSetError as err:
            problems, code = err.problems, err.exit_code
        else:
            assert kb.version
            return
    assert code == 3
    assert problems, "a refused rule set names its problems"
    assert all(isinstance(p, str) and p for p in problems)  # (the CLI prints each on one line)


def _dump(document: Any) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.one_of(documents, rule_like))
def test_random_documents_load_or_raise_rule_set_error(document: Any) -> None:
    _load_text(_dump(document))


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("rules:- []{}!&*|>#'\"\n\t abc123%@`,?")),
               max_size=200))
def test_random_yaml_like_text_loads_or_raises_rule_set_error(text: str) -> None:
    _load_text(text)


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!python/object:pathlib.Path {{}}",
    "!!binary aGVsbG8=",
    "!custom {{a: 1}}",
])
def test_object_tags_are_refused_and_not_run(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "executed"
    for text in (f"rules: {tag}\n", f"rules:\n  - id: {tag}\n", f"x: {tag}\nrules: []\n"):
        with tempfile.TemporaryDirectory(prefix="mtorvar-rules-") as folder:
            (Path(folder) / "site.yaml").write_text(text.format(marker=marker))
            with pytest.raises(RuleSetError) as info:
                load_knowledge_base([Path(folder)])
            assert "site.yaml" in "\n".join(info.value.problems)
        assert not marker.exists()


def test_deeply_nested_document_is_a_rule_set_error() -> None:
    """PyYAML recurses once per nesting level: without a depth limit a 5,000-deep file was a
    RecursionError (exit 4) instead of a listed problem (exit 3)."""
    depth = 5000
    with pytest.raises(RuleSetError):
        _load_strict("rules: " + "[" * depth + "]" * depth + "\n")


def _load_strict(text: str) -> None:
    with tempfile.TemporaryDirectory(prefix="mtorvar-rules-") as folder:
        (Path(folder) / "site.yaml").write_text(text)
        load_knowledge_base([Path(folder)])
