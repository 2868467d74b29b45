"""The web widget in headless Chromium against the running stack
(tests/widget/widget.test.mjs, driven by playwright-core)."""
import os
import subprocess
from pathlib import Path

WIDGET_TESTS = Path(__file__).resolve().parents[1] / "widget"


def test_widget_in_headless_chromium(stack, widget_port):
    result = subprocess.run(
        ["bash", str(WIDGET_TESTS / "run.sh"), stack.rasa_url],
        capture_output=True, text=True, timeout=900,
        env={**os.environ, "WIDGET_PORT": str(widget_port)},
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
