"""The pre-commit hooks this repository offers, run the way a team runs them.

`pre-commit try-repo` installs this repository into its own environment (as
`pre-commit` does for a team that lists it in .pre-commit-config.yaml) and runs
the hooks on a temporary git repository holding one blueprint of each kind.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ROOT / ".pre-commit-hooks.yaml"
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
CORPUS = ROOT / "tests" / "formats" / "broken"
UNFORMATTED = (
    "stageline: 1\ntitle:   Kiosk   # keep this comment\n"
    "stages:\n- id: s\n  title: S\n  steps:\n  - id: a\n    customer: Buy a ticket\n"
)


def test_the_hooks_follow_pre_commit_conventions() -> None:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["stageline-validate", "stageline-fmt", "stageline-check"]
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python" and hook["entry"].startswith("stageline ")
        assert hook["types"] == ["yaml"]


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)


@pytest.mark.slow
@pytest.mark.skipif(not PRE_COMMIT.exists() or shutil.which("git") is None, reason="pre-commit and git are needed")
def test_try_repo_runs_the_three_hooks(tmp_path: Path) -> None:
    team = tmp_path / "team"
    (team / "blueprints").mkdir(parents=True)
    (team / "blueprints" / "broken.yaml").write_bytes((CORPUS / "unclosed-flow-list.yaml").read_bytes())
    (team / "blueprints" / "kiosk.yaml").write_text(UNFORMATTED, encoding="utf-8")
    (team / "ci.yml").write_text("not: [a blueprint\n", encoding="utf-8")  # outside the hooks' files
    git(team, "init", "-q")
    git(team, "add", ".")
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PIP_REQUIRE_VIRTUALENV")
    }
    environment |= {"PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    done = subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(ROOT), "--all-files", "--color", "never"],
        cwd=team,
        env=environment,
        capture_output=True,
        text=True,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "stageline validate" in output and "Failed" in output
    assert "blueprints/broken.yaml:11:19: error: YAML syntax error: this '[' is never closed" in output
    assert "ci.yml" not in output
    # fmt rewrote the unformatted blueprint (the commit fails so the person can look) and kept its comment
    formatted = (team / "blueprints" / "kiosk.yaml").read_text(encoding="utf-8")
    assert formatted != UNFORMATTED and "title: Kiosk  # keep this comment" in formatted
    assert "files were modified by this hook" in output
    # check ran on the valid blueprint: a customer action with no visible answer is a warning
    assert "stageline check" in output


def test_the_documented_config_names_the_hooks_and_the_workflow_uploads_both_reports() -> None:
    doc = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    blocks = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", doc, re.S)]
    (config,) = [block for block in blocks if isinstance(block, dict) and "repos" in block]
    ids = [hook["id"] for hook in config["repos"][0]["hooks"]]
    assert ids == [hook["id"] for hook in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))]
    (workflow,) = [block for block in blocks if isinstance(block, dict) and "jobs" in block]
    steps = workflow["jobs"]["stageline"]["steps"]
    uploads = [step["with"]["sarif_file"] for step in steps if "upload-sarif" in step.get("uses", "")]
    assert uploads == ["validate.sarif", "check.sarif"]
