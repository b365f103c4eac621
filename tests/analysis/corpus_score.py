"""Recall and false alarms of `stageline check` on the blueprint corpus (tests/analysis/corpus).

Each folder holds a sound blueprint, the same blueprint with planted mistakes,
and a manifest naming each planted mistake's rule(s) and place. A planted
mistake counts as found when one of its rules reports it at warning level or
above, on its card (or, for a mistake given by step, anywhere in that step).

Run as a script to see the numbers: `python tests/analysis/corpus_score.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

import stageline
from stageline.analysis.checks import Finding, Severity, check

CORPUS = Path(__file__).parent / "corpus"


@dataclass
class Score:
    planted: int = 0
    found: int = 0
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0


def serious(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity.at_least(Severity.WARNING)]


def reports(findings: list[Finding], mistake: dict[str, Any]) -> bool:
    for finding in serious(findings):
        if finding.rule not in mistake["rules"]:
            continue
        if "card" in mistake and finding.card == mistake["card"]:
            return True
        if "step" in mistake and finding.step == mistake["step"]:
            return True
        if "card" not in mistake and "step" not in mistake:
            return True
    return False


def score(folders: list[Path] | None = None) -> Score:
    total = Score()
    for folder in folders or sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        sound = check(stageline.load(folder / "sound.yaml"))
        total.false_alarms += [f"{folder.name}: {f.rule} {f.card or f.step or ''} {f.message}" for f in serious(sound)]
        planted = check(stageline.load(folder / "planted.yaml"))
        manifest = YAML(typ="safe").load((folder / "manifest.yaml").read_text())
        for mistake in manifest["mistakes"]:
            total.planted += 1
            if reports(planted, mistake):
                total.found += 1
            else:
                total.missed.append(f"{folder.name}: {mistake['rules']} {mistake.get('card') or mistake.get('step')}")
    return total


if __name__ == "__main__":
    result = score()
    print(f"recall at warning or above: {result.found}/{result.planted} = {result.recall:.0%}")
    print(f"warnings and errors on the sound versions: {len(result.false_alarms)}")
    for line in result.missed:
        print("missed:", line)
    for line in result.false_alarms:
        print("false alarm:", line)
