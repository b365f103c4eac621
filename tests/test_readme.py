"""The README's examples run: its YAML is a valid blueprint and its Python works."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest

import stageline

ROOT = Path(__file__).resolve().parent.parent

README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_the_readme_opens_with_the_two_commands() -> None:
    commands = blocks("sh")[0]
    assert commands.splitlines()[0].startswith("make run") and commands.splitlines()[1].startswith("make test")


def test_the_readme_blueprint_is_valid() -> None:
    (yaml_text,) = blocks("yaml")
    bp = stageline.loads(yaml_text, source="README.md")
    assert bp.card("registration").fail is not None
    assert bp.links[0].two_way


def test_the_readme_python_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(blocks("python")[0], {})
    assert out.getvalue().startswith("Overnight hotel stay")


def test_every_command_in_the_readme_exists() -> None:
    from typer.main import get_command

    from stageline.cli import app

    known = set(get_command(app).commands)  # type: ignore[attr-defined]
    used = set(re.findall(r"stageline (\w+)", blocks("sh")[1]))
    assert used <= known, used - known
    assert os.path.exists(ROOT / "Makefile")


def readme_commands() -> list[str]:
    """The command-line section of the README, one command a line, its comments cut off."""
    return [line.split("  #")[0].strip() for line in blocks("sh")[1].splitlines() if line.strip()]


def checkins_log() -> str:
    """The hotel's own records of 40 stays: the doorman's greeting and the desk's check-in (two desks)."""
    from datetime import datetime, timedelta

    rows = ["case,activity,start,end,resource"]
    for case in range(1, 41):
        start = datetime(2026, 11, 2, 14, 0) + timedelta(minutes=6 * case)
        end = start + timedelta(minutes=1)
        rows.append(
            f"C{case},Greet the guest and help with the bags,{start:%Y-%m-%d %H:%M},{end:%Y-%m-%d %H:%M},doorman"
        )
        desk = start + timedelta(minutes=2 + case % 3)
        done = desk + timedelta(minutes=4, seconds=(case % 5) * 20)
        rows.append(f"C{case},registration,{desk:%Y-%m-%d %H:%M:%S},{done:%Y-%m-%d %H:%M:%S},desk-{case % 2 + 1}")
    return "\n".join(rows) + "\n"


@pytest.mark.slow
def test_the_readme_command_sequence_runs_verbatim(tmp_path: Path) -> None:
    """The README's commands, in order, exactly as written, in a fresh folder laid out like a
    clone (`.venv/bin/stageline`, `examples/`) with the journey map it imports."""
    import shlex
    import shutil
    import signal
    import socket
    import subprocess
    import sys
    import time

    import httpx

    script = tmp_path / ".venv" / "bin" / "stageline"
    script.parent.mkdir(parents=True)
    script.write_text(f"#!{sys.executable}\nimport sys\nfrom stageline.cli import main\nsys.exit(main())\n")
    script.chmod(0o755)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    shutil.copy(ROOT / "tests" / "interop" / "data" / "clinic_journey.xlsx", tmp_path / "journey-map.xlsx")
    (tmp_path / "checkins.csv").write_text(checkins_log(), encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {
        "PATH": "/usr/bin:/bin",  # `stageline` is not on PATH in a fresh clone
        "PYTHONPATH": str(ROOT / "src"),
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "STAGELINE_PORT": str(port),
        "COLUMNS": "100",
    }
    *commands, serve = readme_commands()
    assert serve == ".venv/bin/stageline serve"
    outputs: dict[str, str] = {}
    for line in commands:
        done = subprocess.run(line, shell=True, cwd=tmp_path, env=environment, capture_output=True, text=True)
        verb = line.split()[1]
        outputs[verb] = done.stdout + done.stderr
        # `check` and `diff` say "found something" with status 1, like a linter and diff(1).
        assert done.returncode in ((0, 1) if verb in ("check", "diff") else (0,)), (line, outputs[verb])
        assert "Traceback" not in outputs[verb], line
    # What `new` suggests runs as pasted: the path that worked, not a `stageline` not on PATH.
    assert ".venv/bin/stageline validate my-hotel.yaml" in outputs["new"]
    assert "1 file already canonical" in outputs["fmt"]
    assert "What if Front desk clerk=+1" in outputs["simulate"]
    assert "<svg" in (tmp_path / "hotel.svg").read_text(encoding="utf-8")
    assert (tmp_path / "blueprint.yaml").exists()
    assert "registration" in outputs["calibrate"]
    assert "Front desk clerk: 2 units at once, 2 seen" in outputs["calibrate"]  # two desks, side by side
    assert "basis: observed" in (tmp_path / "measured.yaml").read_text(encoding="utf-8")

    # The web app: it starts, answers, and Ctrl+C stops it quietly.
    server = subprocess.Popen(
        shlex.split(serve),  # no shell in between: Ctrl+C reaches Stageline as in a terminal
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:
        deadline = 180.0
        started = time.monotonic()
        while True:
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            try:
                if httpx.get(f"http://127.0.0.1:{port}/signin", timeout=10).status_code < 500:
                    break
            except httpx.HTTPError:
                assert time.monotonic() - started < deadline, "the web app did not start"
                time.sleep(0.2)
        os.killpg(server.pid, signal.SIGINT)  # Ctrl+C: the whole foreground group
        output, _ = server.communicate(timeout=deadline)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode in (0, 130), output
    assert "Traceback" not in output and "Stageline is running" in output
