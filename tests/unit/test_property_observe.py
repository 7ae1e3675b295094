"""Property tests of observe: more depth never turns 'absent' into 'not_assessed', presence
does not depend on depth beyond the thresholds, and clonality counts add up."""

from __future__ import annotations

from typing import Literal

from hypothesis import given, settings
from hypothesis import strategies as st

from mtorvar.engine.observe import ObserveParams, clonality_of, observe_allele, observe_call
from mtorvar.models.report import SampleInfo
from mtorvar.models.variant import Allele, AlleleCall

Role = Literal["tumor", "normal"]
STATES = ("present", "absent", "not_assessed", "filtered")
params = st.builds(ObserveParams, min_alt_reads=st.integers(1, 10),
                   min_vaf=st.floats(0.0, 0.5), power=st.floats(0.5, 0.999),
                   vaf_floor=st.floats(0.01, 0.5))
v_stars = st.floats(0.01, 1.0)


@settings(max_examples=400, deadline=None)
@given(params, v_stars, st.integers(0, 5), st.integers(1, 3000), st.integers(1, 3000))
def test_more_depth_never_loses_an_absent_call(p: ObserveParams, v_star: float, alt: int,
                                               depth: int, extra: int) -> None:
    depth = max(depth, alt)
    shallow = observe_call(AlleleCall(alt_reads=alt, depth=depth), v_star, p)
    deep = observe_call(AlleleCall(alt_reads=alt, depth=depth + extra), v_star, p)
    if shallow.state == "absent":
        assert deep.state == "absent", (shallow, deep)
    if shallow.state != "present":  # same alt reads over more depth: never present again
        assert deep.state != "present"
    assert {shallow.state, deep.state} <= {"present", "absent", "not_assessed"}
    assert deep.power is None or shallow.power is None or deep.power >= shallow.power - 1e-12


@settings(max_examples=300, deadline=None)
@given(params, v_stars, st.integers(0, 3000), st.integers(0, 3000))
def test_presence_is_the_thresholds(p: ObserveParams, v_star: float, alt: int,
                                    ref: int) -> None:
    depth = alt + ref
    if depth == 0:
        return
    obs = observe_call(AlleleCall(alt_reads=alt, depth=depth), v_star, p)
    expected = alt >= p.min_alt_reads and alt / depth >= p.min_vaf
    assert (obs.state == "present") == expected
    assert obs.depth == depth
    assert obs.alt_reads == alt


@given(st.lists(st.sampled_from(STATES), max_size=40))
def test_clonality_counts_add_up(states: list[str]) -> None:
    clonality, counts = clonality_of(states)  # type: ignore[arg-type]
    assert sum(counts[s] for s in STATES) == len(states)
    assert counts["assessed"] == counts["present"] + counts["absent"]
    if clonality == "truncal":
        assert counts["present"] >= 2
        assert counts["absent"] == 0
    elif clonality == "private":
        assert counts["present"] == 1
    elif clonality == "shared":
        assert counts["present"] >= 2
        assert counts["absent"] >= 1


call_strategy = st.one_of(
    st.none(),
    st.builds(AlleleCall, alt_reads=st.integers(0, 500), depth=st.integers(0, 1000)),
    st.builds(AlleleCall, carries=st.booleans()),
    st.builds(AlleleCall, vaf=st.floats(0, 1), depth=st.integers(0, 1000)),
    st.just(AlleleCall()),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["tumor", "normal"]), call_strategy),
                min_size=1, max_size=12), params)
def test_observe_allele_counts_every_tumour_sample(rows: list[tuple[Role, AlleleCall | None]],
                                                   p: ObserveParams) -> None:
    samples = [SampleInfo(name=f"S{i}", role=role) for i, (role, _) in enumerate(rows)]
    calls = tuple(c if c is not None else AlleleCall() for _, c in rows)
    allele = Allele(chrom="1", contig="1", pos=11127039, ref="A", alt="G", allele_index=1,
                    calls=calls)
    result = observe_allele(allele, samples, p)
    assert list(result.observations) == [s.name for s in samples]  # input order, every sample
    tumours = [s for s in samples if s.role == "tumor"]
    counts = result.clonality_counts
    assert sum(counts[s] for s in STATES) == len(tumours)
    for state in STATES:
        assert counts[state] == sum(result.observations[s.name].state == state for s in tumours)
