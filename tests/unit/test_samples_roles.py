"""Sample roles: sheet > --normal > header meta > names."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtorvar.engine.samples import SITES_SAMPLE, resolve_samples, tumour_samples
from mtorvar.errors import UsageError
from mtorvar.io.samplesheet import SampleSheetRow, read_samplesheet


def _roles(names: list[str], **kw: object) -> list[str]:
    samples, _ = resolve_samples(names, **kw)  # type: ignore[arg-type]
    return [s.role for s in samples]


def test_sites_only_gives_sites_pseudo_sample() -> None:
    samples, warnings = resolve_samples([])
    assert [(s.name, s.role) for s in samples] == [(SITES_SAMPLE, "tumor")]
    assert warnings == []


def test_normal_option_and_unknown_name() -> None:
    assert _roles(["A", "B", "C"], normal="B") == ["tumor", "normal", "tumor"]
    with pytest.raises(UsageError, match="'Z'") as info:
        resolve_samples(["A", "B"], normal="Z")
    assert "A, B" in (info.value.hint or "")
    assert info.value.exit_code == 2


def test_header_meta() -> None:
    meta = {"normal_sample": "S2", "tumor_sample": "S1"}
    assert _roles(["S1", "S2", "S3"], meta=meta) == ["tumor", "normal", "tumor"]
    # a meta name absent from the samples is ignored (falls back to names)
    assert _roles(["TUMOR", "NORMAL"], meta={"normal_sample": "other"}) == ["tumor", "normal"]


def test_name_guess_is_conservative_and_warned() -> None:
    samples, warnings = resolve_samples(["P1_tumour", "P1_blood", "P1_N3", "germline_ctrl"])
    assert [s.role for s in samples] == ["tumor", "normal", "tumor", "normal"]
    assert len([w for w in warnings if "guessed" in w]) == 1
    assert any("several normal samples" in w for w in warnings)
    _, single = resolve_samples(["TUMOR"])
    assert single == []  # one sample: nothing to guess between


def test_option_beats_header_beats_names() -> None:
    meta = {"normal_sample": "NORMAL"}
    assert _roles(["NORMAL", "R1"], meta=meta, normal="R1") == ["tumor", "normal"]
    _, warnings = resolve_samples(["NORMAL", "R1"], meta=meta)
    assert warnings == []  # decided by the header, not guessed


def test_sheet_wins_and_carries_facts(fixtures_dir: Path) -> None:
    sheet = read_samplesheet(fixtures_dir / "het_resistant_subclone" / "samples.tsv")
    samples, warnings = resolve_samples(["NORMAL", "R1", "R2", "R3"], sheet=sheet)
    assert [s.role for s in samples] == ["normal", "tumor", "tumor", "tumor"]
    assert samples[1].region == "cortex"
    assert samples[1].purity == 0.8
    assert samples[0].region == "blood"
    assert warnings == []
    assert [s.name for s in tumour_samples(samples)] == ["R1", "R2", "R3"]


def test_sheet_conflicting_with_normal_option() -> None:
    sheet = [SampleSheetRow(sample="R1", line=2, role="tumor")]
    with pytest.raises(UsageError, match="contradicts"):
        resolve_samples(["R1", "R2"], sheet=sheet, normal="R1")


def test_sheet_sample_not_in_input_and_sheet_without_role() -> None:
    sheet = [SampleSheetRow(sample="R9", line=4, role="tumor"),
             SampleSheetRow(sample="R1", line=2, phenotypes={"hypoxia": "yes"})]
    samples, warnings = resolve_samples(["R1", "blood"], sheet=sheet)
    assert [s.role for s in samples] == ["tumor", "normal"]  # R1 role from its name
    assert samples[0].phenotypes == {"hypoxia": "yes"}
    assert any("line 4" in w and "R9" in w for w in warnings)


def test_all_normal_is_warned() -> None:
    _, warnings = resolve_samples(["N1"], normal="N1")
    assert any("no tumour sample" in w for w in warnings)
