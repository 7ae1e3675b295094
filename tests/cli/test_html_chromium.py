"""Render the HTML report in headless Chromium and check what a person would see.

Needs the Debian package ``chromium`` (skips cleanly when absent). Chromium is started with
networking features off; the page itself fetches nothing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mtorvar.report.html import render_html
from tests.unit.report_factory import make_report

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(n)), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage")


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    command = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_bytes(render_html(make_report()))
    return path


def test_dom_shows_verdict_heatmap_and_matrix(page: Path, tmp_path: Path) -> None:
    done = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert "Tumour verdict" in dom
    verdict = re.search(r'data-class="rapalog" data-call="([a-z_]+)"', dom)
    assert verdict is not None
    assert verdict.group(1) == "heterogeneous"
    assert re.search(r'data-sample="R2" data-class="rapalog" data-call="resistant"', dom)
    assert re.search(r'data-sample="R2" data-class="torki" data-call="sensitive"', dom)
    assert len(re.findall(r'<td class="heat ', dom)) == 12
    assert len(re.findall(r"<tr data-variant=", dom)) == 6
    assert "MTOR p.F2108L" in dom
    assert "TSC2 p.Q1178*" in dom
    assert "Research use only; not a clinical diagnostic." in dom


def test_screenshot_is_rendered(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    done = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,1800",
                     "--hide-scrollbars", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 1800)
    assert len(data) > 50_000  # a blank page compresses to a few kB
