"""The entry points: ``counter-app`` opens the window; ``counter-app demo`` writes screenshots."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


def _run(
    args: list[str], env: dict[str, str], timeout: int = 60
) -> subprocess.CompletedProcess[str]:
    """``python -m ARGS`` from the repository root, as a clerk's shortcut would start it."""
    return subprocess.run(
        [sys.executable, "-m", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
    )
    return env


def test_the_window_opens_on_embedded_defaults(tmp_path: Path) -> None:
    done = _run(["counter_app", "--exit-after-show"], _env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "window shown after" in done.stdout
    assert "Traceback" not in done.stderr


def test_a_bad_configuration_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "loket.toml"
    bad.write_text("[ui]\nprivacy_clear_delay_s = 1\n")
    done = _run(["counter_app.ui.app", "--config", str(bad)], _env(tmp_path))
    assert done.returncode == 4
    assert "privacy_clear_delay_s" in done.stderr and "Traceback" not in done.stderr


def test_demo_help_is_the_demos_own(tmp_path: Path) -> None:
    """``counter-app demo --help`` used to be taken for the CLI's help: "invalid choice"."""
    done = _run(["counter_app", "demo", "--help"], _env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "--screenshots DIR" in done.stdout


def test_demo_writes_one_screenshot_per_state(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    done = _run(["counter_app", "demo", "--screenshots", str(out)], _env(tmp_path), timeout=120)
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in out.glob("*.png"))
    # one numbering across both windows: 01, 02, ... with no gap or restart
    assert [int(n.split("-", 1)[0]) for n in names] == list(range(1, len(names) + 1))
    for state in (
        "idle",
        "reading",
        "advice-eligible",
        "advice-not-eligible",
        "advice-check-manually",
        "confirmation",
        "card-not-authentic",
        "card-not-activated",
        "not-an-eid",
        "manual-entry-valid",
        "override-without-reason",
        "cleared",
        # error states
        "source-down-check-manually",
        "confirmation-failed",
        "no-reader",
        "card-service-not-running",
    ):
        assert any(n.endswith(f"-{state}.png") for n in names), state
    sizes = set()
    for path in out.glob("*.png"):
        image = QImage(str(path))
        assert not image.isNull() and image.width() >= 600
        sizes.add(path.stat().st_size)
    assert len(sizes) > len(names) // 2  # distinct screens, not one picture repeated


def test_no_display_is_one_line_not_an_abort(tmp_path: Path) -> None:
    env = _env(tmp_path)
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    done = _run(["counter_app"], env)
    assert done.returncode == 3
    assert "no display" in done.stderr and "demo --screenshots" in done.stderr


@pytest.mark.parametrize(
    ("extra", "code", "said"),
    [
        (["--screenshots", "/proc/no-such-place/shots"], 2, "cannot write to"),
        (["--journal", "mysql://somewhere/x"], 21, "not recorded"),
    ],
    ids=["unwritable-folder", "unusable-log"],
)
def test_the_demo_fails_with_its_documented_exit_codes(
    tmp_path: Path, extra: list[str], code: int, said: str
) -> None:
    """2 for a folder it cannot write, 21 for a log it cannot open (not 3 and 23, which
    mean "no window" and "no card reader")."""
    args = ["--screenshots", str(tmp_path / "shots"), *extra]
    done = _run(["counter_app", "demo", *args], _env(tmp_path))
    assert done.returncode == code, done.stderr
    assert said in done.stderr and "Traceback" not in done.stderr
