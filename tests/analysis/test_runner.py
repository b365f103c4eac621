"""Choosing rules: --select/--ignore, the file's checks.ignore, a card's ignore, and order."""

from __future__ import annotations

import pytest

import stageline
from analysis.coffee import coffee
from stageline.analysis.checks import Severity, UnknownRuleError, all_rules, check, get, resolve

MESSY = dict(
    frontstage="{id: take, text: Take the order, basis: observed, fail: {text: Milk runs out}}",
    evidence=None,
    top="tolerance: 30s",
)


def codes(**options: object) -> set[str]:
    return {finding.rule for finding in check(coffee(**MESSY), **options)}  # type: ignore[arg-type]


def test_messy_blueprint_fires_several_rules() -> None:
    assert {"SL301", "SL302", "SL402", "SL501", "SL702"} <= codes()


@pytest.mark.parametrize("token", ["SL301", "sl301", "fail-point-without-recovery", " SL301 "])
def test_select_by_code_or_name(token: str) -> None:
    assert codes(select=[token]) == {"SL301"}


def test_select_group_prefix_and_comma_separated_lists() -> None:
    assert codes(select=["SL3"]) == {"SL301", "SL302"}
    assert codes(select=["SL301,over-tolerance", "SL702"]) == {"SL301", "SL402", "SL702"}


def test_a_single_string_is_one_option_value_not_characters() -> None:
    assert codes(select="SL301,SL402") == {"SL301", "SL402"}


def test_ignore_drops_rules_after_select() -> None:
    assert codes(select=["SL3"], ignore=["fail-point-unscored"]) == {"SL301"}
    assert "SL301" not in codes(ignore=["SL3"])


@pytest.mark.parametrize(("token", "hint"), [("fail-point-without-recovry", "fail-point-without-recovery"),
                                             ("SL31", None), ("nonsense", None)])  # fmt: skip
def test_unknown_rule_names_raise_with_a_suggestion(token: str, hint: str | None) -> None:
    with pytest.raises(UnknownRuleError) as raised:
        check(coffee(), select=[token])
    assert repr(token) in str(raised.value)
    if hint:
        assert f"did you mean {hint!r}" in str(raised.value)


def test_unknown_names_in_ignore_raise_too() -> None:
    with pytest.raises(UnknownRuleError):
        resolve(["SL101", "no-such-rule"])


def test_file_level_ignore_accepts_codes_and_names() -> None:
    bp = coffee(**MESSY, tail="checks:\n  ignore: [SL301, step-without-evidence]")
    found = {f.rule for f in check(bp)}
    assert "SL301" not in found and "SL702" not in found and "SL402" in found


def test_card_level_ignore_silences_only_that_card() -> None:
    bp = coffee(
        frontstage="{id: take, text: Take, basis: observed, ignore: [card-without-actor]}",
        backstage="{id: brew, text: Brew the coffee}",
    )
    assert [f.card for f in check(bp) if f.rule == "SL501"] == ["brew"]


def test_card_ignore_does_not_silence_blueprint_wide_findings() -> None:
    bp = coffee(top="tolerance: 30s", customer="{id: ask, text: Order, duration: 1m, ignore: [SL402]}")
    assert any(f.rule == "SL402" for f in check(bp))


def test_unknown_name_in_file_is_reported_not_raised() -> None:
    bp = coffee(tail="checks:\n  ignore: [SL301, fail-pont]")
    (finding,) = check(bp)
    assert finding.rule == "SL901" and "did you mean 'fail-point" in finding.message


def test_findings_come_in_blueprint_order_blueprint_wide_first() -> None:
    steps = "- id: pay\n  customer: {id: pay-card, text: Pay}\n  frontstage: {id: till, text: Till}"
    bp = coffee(steps=steps, top="tolerance: 30s", frontstage="{id: take, text: Take, basis: observed}")
    findings = check(bp)
    places = [(f.stage is not None, bp.index.step_order.get(f.step or "", -1)) for f in findings]
    assert places == sorted(places)
    assert findings[0].stage is None


def test_public_api_and_rule_metadata() -> None:
    assert stageline.check(coffee()) == []
    for rule in all_rules():
        assert rule.summary.endswith(".") and rule.fix and rule.rationale
        assert any(source in rule.rationale for source in ("Shostack", "Bitner", "NN/g", "Kingman", "Chase", "mistake",
                                                            "FMEA", "Codes"))  # fmt: skip
        assert get(rule.name) is get(rule.code) is rule
        assert isinstance(rule.severity, Severity)
