"""Notation → Annotation for the rule-engine tests.

Uses the real ``mtorvar.genome.notation.annotation_from_notation`` when it exists. Until then
(it is written in parallel) a small test double reads the protein and canonical-splice
notations the rule examples use, so the engine can be tested on its own. The double is only
for tests: it is never imported by the package.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from mtorvar.kb.protein import normalise_protein_change
from mtorvar.models import Annotation

TRANSCRIPTS = {"MTOR": "NM_004958.4", "TSC1": "NM_000368.5", "TSC2": "NM_000548.5",
               "PIK3CA": "NM_006218.4", "KRAS": "NM_004985.5"}

_real: Callable[[str], Annotation] | None
try:  # pragma: no cover - depends on the genome engineer's module being present
    from mtorvar.genome.notation import annotation_from_notation as _real
except ImportError:  # pragma: no cover
    _real = None

REAL_PARSER = _real is not None


def _protein(gene: str, change: str) -> Annotation:
    p = normalise_protein_change(change)
    m = re.match(r"^p\.([A-Z*])([0-9]+)(.*)$", p)
    if not m:
        raise ValueError(p)
    ref, pos, rest = m.group(1), int(m.group(2)), m.group(3)
    common = {"gene": gene, "transcript": TRANSCRIPTS[gene], "hgvs_p": p, "protein_start": pos,
              "protein_end": pos, "ref_aa": ref}
    if p == "p.M1?":
        return Annotation(**common, variant_class="start_lost", consequence=("start_lost",))
    if rest == "=":
        return Annotation(**common, alt_aa=ref, variant_class="synonymous",
                          consequence=("synonymous_variant",))
    if rest == "*":
        return Annotation(**common, alt_aa="*", variant_class="nonsense",
                          consequence=("stop_gained",))
    if "fs" in rest:
        return Annotation(**common, variant_class="frameshift",
                          consequence=("frameshift_variant",))
    if re.fullmatch(r"[A-Z]", rest):
        return Annotation(**common, alt_aa=rest, variant_class="missense",
                          consequence=("missense_variant",))
    raise ValueError(f"test double cannot read {change}")


def _splice(gene: str, change: str) -> Annotation:
    m = re.match(r"^c\.[0-9]+([+-])([12])[ACGT]>[ACGT]$", change)
    if not m:
        raise ValueError(change)
    term = "splice_donor_variant" if m.group(1) == "+" else "splice_acceptor_variant"
    return Annotation(gene=gene, transcript=TRANSCRIPTS[gene], hgvs_c=change,
                      variant_class="splice", consequence=(term,))


def annotate(text: str) -> Annotation:
    """The real parser when available, else the test double."""
    if _real is not None:
        return _real(text)
    gene, change = text.split(":", 1)
    return _protein(gene, change) if change.startswith("p.") else _splice(gene, change)


def test_double_reads_the_example_shapes() -> None:
    assert annotate("MTOR:p.F2108L").variant_class == "missense"
    assert annotate("MTOR:p.Phe2108Leu").hgvs_p == "p.F2108L"
    assert annotate("TSC2:p.Q1178*").variant_class == "nonsense"
    assert annotate("TSC2:p.L1750Afs*25").variant_class == "frameshift"
    assert annotate("TSC2:p.M1?").variant_class == "start_lost"
    assert annotate("TSC2:c.225+1G>A").variant_class == "splice"
    assert annotate("MTOR:p.F2108=").variant_class == "synonymous"


@pytest.mark.skipif(not REAL_PARSER, reason="mtorvar.genome.notation not written yet")
def test_real_parser_agrees_on_f2108l() -> None:  # pragma: no cover
    ann = annotate("MTOR:p.F2108L")
    assert (ann.gene, ann.hgvs_p, ann.variant_class) == ("MTOR", "p.F2108L", "missense")
