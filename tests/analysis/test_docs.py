"""docs/rules.md is generated from the registry, and every example in it fires its rule."""

from __future__ import annotations

import re

import pytest

import stageline
from conftest import ROOT
from stageline.analysis.checks import all_rules, check
from stageline.analysis.checks.docs import REGENERATE, rules_markdown

RULES_MD = ROOT / "docs" / "rules.md"


def test_rules_doc_is_up_to_date() -> None:
    assert RULES_MD.read_text(encoding="utf-8") == rules_markdown(), (
        f"docs/rules.md is stale: regenerate it with `{REGENERATE}`"
    )


def _doc_examples() -> list[tuple[str, str]]:
    text = RULES_MD.read_text(encoding="utf-8")
    sections = re.split(r"^### ", text, flags=re.MULTILINE)[1:]
    found = []
    for section in sections:
        code = section.split()[0]
        example = re.search(r"```yaml\n(.*?)```", section, flags=re.DOTALL)
        assert example, f"{code} has no example in docs/rules.md"
        found.append((code, example.group(1)))
    return found


@pytest.mark.parametrize(("code", "example"), _doc_examples(), ids=lambda value: value if value[:2] == "SL" else "")
def test_each_documented_example_fires_its_rule(code: str, example: str) -> None:
    bp = stageline.loads(example, source=f"docs/rules.md {code}")
    assert code in {finding.rule for finding in check(bp)}


def test_every_rule_is_documented() -> None:
    assert [code for code, _ in _doc_examples()] == [rule.code for rule in all_rules()]
