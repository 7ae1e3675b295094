"""``python -m mtorvar``."""

from mtorvar.cli import run

run()
