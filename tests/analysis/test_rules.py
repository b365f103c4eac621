"""Every rule: blueprints where it must fire (and where), and where it must stay quiet."""

from __future__ import annotations

from typing import Any

import pytest

from analysis.coffee import CUSTOMER, FRONTSTAGE, LINKS, coffee
from stageline.analysis.checks import Finding, all_rules, check

NIGHT_STAGE = """
- id: night
  title: Night
  steps:
    - id: closing
      backstage: {id: wipe, text: Wipe the machine, actor: Barista}
"""
NO_TIME = dict(
    customer="{id: ask, text: Order a flat white, basis: observed}",
    frontstage="{id: take, text: Take the order, actor: Barista, department: Cafe, basis: observed}",
    backstage="{id: brew, text: Brew the coffee, actor: Barista, department: Cafe}",
)
SIMULATION = "simulation:\n  arrivals: {rate: 5/h}\n  resources: {Barista: 1}\n"
ONLY_FRONT_LINK = "\n  - {from: ask, to: take, two_way: true}\n"
FAIL = "{id: take, text: Take the order, actor: Barista, duration: 1m, basis: observed, fail: %s}"
SECOND_STEP = """
- id: pay
  customer: {id: pay-card, text: Pay by card, duration: 1m}
  frontstage: {id: till, text: %s, actor: %s, duration: 1m}
  backstage: {id: log, text: Log the sale, actor: Till}
"""

# (rule, changes to the clean blueprint, fields the finding must have)
FIRES: list[Any] = [
    pytest.param("SL101", dict(stages=NIGHT_STAGE), {"stage": "night", "step": None}, id="SL101-backstage-only-stage"),
    pytest.param("SL102", dict(steps="- id: call\n  frontstage: {id: shout, text: Call the name, actor: Barista}"),
                 {"step": "call", "card": None}, id="SL102-step-without-customer"),
    pytest.param("SL103", dict(stages="- id: later\n  title: Later"), {"stage": "later"}, id="SL103"),
    pytest.param("SL104", dict(lanes="""
        lanes:
          - {id: customer, title: Customer, visible: true}
          - {id: backstage, title: Backstage, visible: false}
          - {id: support, title: Support, visible: false}
        """, evidence=None, frontstage=None, links="\n  - {from: brew, to: machine}\n"), {"stage": None}, id="SL104"),
    pytest.param("SL105", dict(backstage=None, links=ONLY_FRONT_LINK + "  - {from: take, to: machine}\n"), {},
                 id="SL105"),
    pytest.param("SL106", dict(support=None, links=ONLY_FRONT_LINK), {}, id="SL106"),
    pytest.param("SL201", dict(frontstage=None, evidence=None, links="\n  - {from: brew, to: machine}\n"),
                 {"card": "ask", "lane": "customer"}, id="SL201"),
    pytest.param("SL201", dict(frontstage=None, evidence=None,
                               links="\n  - {from: ask, to: brew}\n  - {from: brew, to: machine}\n"),
                 {"card": "ask"}, id="SL201-answered-only-by-hidden-work"),
    pytest.param("SL202", dict(backstage=None, support=None, links=ONLY_FRONT_LINK), {"card": "take"}, id="SL202"),
    pytest.param("SL203", dict(links="\n  - {from: ask, to: brew}\n"), {"card": "ask"}, id="SL203"),
    pytest.param("SL203", dict(links="\n  - {from: machine, to: ask}\n"), {"card": "ask"}, id="SL203-from-below"),
    pytest.param("SL204", dict(support=None, steps="- id: pay\n  customer: Pay\n  support: {id: till, text: Till}",
                               links=ONLY_FRONT_LINK), {"card": "brew"}, id="SL204"),
    pytest.param("SL301", dict(frontstage=FAIL % "{text: Milk runs out}"), {"card": "take"}, id="SL301"),
    pytest.param("SL301", dict(frontstage=FAIL % "{text: Milk runs out, recovery: '  '}"), {"card": "take"},
                 id="SL301-blank-recovery"),
    pytest.param("SL301", dict(frontstage=FAIL % "{text: Milk runs out, recovery: TBD}"), {"card": "take"},
                 id="SL301-placeholder-recovery"),
    pytest.param("SL302", dict(frontstage=FAIL % "{text: Milk out, recovery: Use oat milk, severity: 2}"),
                 {"card": "take"}, id="SL302"),
    pytest.param("SL401", dict(NO_TIME, customer="{id: ask, text: Order, wait: 3m, basis: observed}"),
                 {"card": "ask"}, id="SL401"),
    pytest.param("SL402", dict(top="tolerance: 30s"), {"card": None}, id="SL402"),
    pytest.param("SL403", dict(top=""), {}, id="SL403"),
    pytest.param("SL404", dict(NO_TIME), {}, id="SL404"),
    pytest.param("SL405", dict(tail="simulation:\n  arrivals: {rate: 5/h}\n  resources: {Bartista: 1}"),
                 {"card": None, "path": ("simulation", "resources", "Bartista")}, id="SL405-unknown-resource"),
    pytest.param("SL405", dict(backstage="{id: brew, text: Brew the coffee, actor: Baristas, duration: 2m}",
                               tail=SIMULATION), {"card": "brew", "lane": "backstage"}, id="SL405-near-miss-actor"),
    pytest.param("SL501", dict(frontstage="{id: take, text: Take the order, basis: observed}"), {"card": "take"},
                 id="SL501-frontstage"),
    pytest.param("SL501", dict(backstage="{id: brew, text: Brew the coffee}"), {"card": "brew"},
                 id="SL501-backstage"),
    pytest.param("SL502", dict(backstage="{id: brew, text: Brew, actor: Chef, department: Kitchen}"),
                 {"card": "take"}, id="SL502"),
    pytest.param("SL503", dict(frontstage="{id: take, text: Take the order, actor: TBD, duration: 1m}"),
                 {"card": "take"}, id="SL503-tbd"),
    pytest.param("SL503", dict(backstage="{id: brew, text: Brew, actor: Barista, department: '?'}"),
                 {"card": "brew"}, id="SL503-question-mark-department"),
    pytest.param("SL504", dict(steps=SECOND_STEP % ("Take payment", "Baristas")), {"card": "till"},
                 id="SL504-plural"),
    pytest.param("SL504", dict(steps=SECOND_STEP % ("Take payment", "FDC"), frontstage=FRONTSTAGE.replace(
        "Barista", "Front desk clerk")), {"card": "till"}, id="SL504-initials"),
    pytest.param("SL504", dict(tail="actors:\n  - {name: Barista, aliases: [Server]}\n  - {name: Waiter, "
                               "aliases: [server]}"), {"card": None}, id="SL504-alias-declared-twice"),
    pytest.param("SL505", dict(customer="{id: ask, text: Order a flat white, actor: Barista, basis: observed}"),
                 {"card": "ask"}, id="SL505-staff-on-customer-card"),
    pytest.param("SL505", dict(customer="{id: ask, text: Order a flat white, actor: Ordering app}"),
                 {"card": "ask"}, id="SL505-system-on-customer-card"),
    pytest.param("SL506", dict(tail="simulation:\n  arrivals: {rate: 30/h}\n  resources: {Barista: 1}"),
                 {"card": "take"}, id="SL506-utilisation"),
    pytest.param("SL506", dict(tail="checks:\n  max_share: 0.4", steps=SECOND_STEP % ("Take payment", "Barista")
                               + "  support: {id: tip, text: Count tips, actor: Manager, duration: 10s}"),
                 {"card": "take"}, id="SL506-share"),
    pytest.param("SL604", dict(steps=SECOND_STEP % ("Ask for the order again", "Cashier")), {"card": "till"},
                 id="SL604-asked-again-by-another-actor"),
    pytest.param("SL604", dict(customer="{id: ask, text: Fill in your contact details online, duration: 1m}",
                               steps=SECOND_STEP % ("Take payment", "Barista")
                               + "  evidence: Receipt\n- id: loyalty\n  customer: {id: again, text: Re-enter contact "
                               "details at the till}\n  frontstage: {id: sign, text: Sign up to loyalty, actor: B}"),
                 {"card": "again"}, id="SL604-customer-gives-the-same-details"),
    pytest.param("SL605", dict(steps=SECOND_STEP % ("Take payment", "Cashier")
                               + "  support: {id: brew2, text: Brew coffee, actor: Chef, department: Kitchen}"),
                 {"card": "brew2"}, id="SL605"),
    pytest.param("SL601", dict(steps="- id: closing\n  backstage: {id: wipe, text: Wipe the machine, actor: B}"),
                 {"card": "wipe"}, id="SL601"),
    pytest.param("SL601", dict(steps="- id: closing\n  backstage: {id: wipe, text: Wipe, actor: B}",
                               links=LINKS + "  - {from: wipe, to: machine}"), {"card": "wipe"},
                 id="SL601-only-through-a-shared-system"),
    pytest.param("SL601", dict(steps="- id: pay\n  customer: {id: pay-card, text: Pay}\n  frontstage: {id: till, "
                               "text: Take payment, actor: B}\n  backstage: {id: wipe, text: Update the mailing list, "
                               "actor: B}"), {"card": "wipe"}, id="SL601-unlinked-in-a-customer-step"),
    pytest.param("SL602", dict(steps=SECOND_STEP % ("Take the order.", "Barista")), {"card": "till"},
                 id="SL602-same-text"),
    pytest.param("SL602", dict(steps=SECOND_STEP % ("take order the", "Barista")), {"card": "till"},
                 id="SL602-reordered"),
    pytest.param("SL603", dict(links="\n  - {from: take, to: brew}\n  - {from: brew, to: take}\n"),
                 {"card": "take"}, id="SL603"),
    pytest.param("SL701", dict(customer="{id: ask, text: Order, emotion: -1, pain: Slow queue, basis: observed}"),
                 {"card": "ask"}, id="SL701-pain-and-emotion"),
    pytest.param("SL701", dict(backstage="{id: brew, text: Brew, actor: B, pain: Machine too slow}"),
                 {"card": "brew"}, id="SL701-pain-on-backstage"),
    pytest.param("SL702", dict(evidence=None), {"step": "order"}, id="SL702"),
    pytest.param("SL702", dict(evidence=None, lanes="""
        lanes:
          - {id: customer, title: Customer, visible: true}
          - {id: frontstage, title: Frontstage, visible: true}
          - {id: backstage, title: Backstage, visible: false}
          - {id: support, title: Support, visible: false}
        """), {"step": None}, id="SL702-no-evidence-lane"),
    pytest.param("SL703", dict(customer="{id: ask, text: Order}", frontstage="{id: take, text: Take, actor: B}"),
                 {"step": None}, id="SL703-nothing-observed"),
    pytest.param("SL703", dict(steps="- id: pay\n  customer: Pay\n  frontstage: {text: Take payment, actor: B}"),
                 {"step": "pay"}, id="SL703-one-step-assumed"),
    pytest.param("SL704", dict(tail="opportunities:\n  - {id: app, title: Order ahead}"), {}, id="SL704"),
    pytest.param("SL705", dict(customer="{id: ask, text: Order, emotion: -2, basis: observed}",
                               tail="opportunities:\n  - {id: app, title: Order ahead, targets: [ask]}"),
                 {"card": "ask"}, id="SL705"),
    pytest.param("SL706", dict(tail=SIMULATION + "opportunities:\n  - {id: app, title: Order ahead, targets: [take], "
                               "change: [take.duration=*0.5, Baristas=+1]}"),
                 {"card": None, "path": ("opportunities", 0, "change", 1)}, id="SL706-unknown-resource"),
    pytest.param("SL706", dict(tail="opportunities:\n  - {id: app, title: Order ahead, targets: [take], "
                               "change: Barista=+1}"), {"card": None, "path": ("opportunities", 0, "change")},
                 id="SL706-no-simulation-section"),
    pytest.param("SL901", dict(tail="checks:\n  ignore: [fail-pont-without-recovery]"), {"card": None}, id="SL901"),
    pytest.param("SL901", dict(customer="{id: ask, text: Order, basis: observed, duration: 1m, ignore: [SL999]}"),
                 {"card": "ask"}, id="SL901-on-card"),
]  # fmt: skip

QUIET: list[Any] = [
    pytest.param("SL102", dict(stages=NIGHT_STAGE), id="SL102-left-to-SL101"),
    pytest.param("SL201", dict(links=""), id="SL201-frontstage-in-step"),
    pytest.param("SL201", dict(frontstage=None, steps="- id: serve\n  customer: Wait\n  frontstage: {id: take, "
                               "text: Serve, actor: B}"), id="SL201-linked-across-the-line"),
    pytest.param("SL202", dict(backstage=None, support=None, links=ONLY_FRONT_LINK + "  - {from: take, to: roast}",
                               steps="- id: later\n  customer: Leave\n  backstage: {id: roast, text: Roast, actor: R}"),
                 id="SL202-linked-down"),
    pytest.param("SL203", dict(links="\n  - {from: ask, to: brew}\n",
                               backstage="{id: brew, text: Call back, actor: B, channel: phone}"),
                 id="SL203-invisible-phone-contact"),
    pytest.param("SL203", dict(evidence="{id: menu, text: Menu board}", links=LINKS + "  - {from: machine, to: menu}"),
                 id="SL203-evidence-produced-by-a-system"),
    pytest.param("SL204", dict(support=None, links=ONLY_FRONT_LINK), id="SL204-left-to-SL106"),
    pytest.param("SL204", dict(support=None, steps="- id: pay\n  customer: Pay\n  support: {id: till, text: Till}",
                               links=ONLY_FRONT_LINK + "  - {from: brew, to: till}"), id="SL204-linked-to-support"),
    pytest.param("SL301", dict(frontstage=FAIL % "{text: Milk out, recovery: Use oat milk}"), id="SL301-recovered"),
    pytest.param("SL302", dict(frontstage=FAIL % "{text: Milk out, recovery: Oat, severity: 2, likelihood: 1}"),
                 id="SL302-scored"),
    pytest.param("SL401", dict(customer="{id: ask, text: Order, wait: 3m, basis: observed}"), id="SL401-timed"),
    pytest.param("SL402", dict(top="tolerance: 1m"), id="SL402-exactly-at-tolerance"),
    pytest.param("SL402", dict(top=""), id="SL402-no-tolerance"),
    pytest.param("SL403", dict(NO_TIME, top=""), id="SL403-no-time-recorded"),
    pytest.param("SL405", dict(tail=SIMULATION), id="SL405-runs"),
    pytest.param("SL405", dict(tail="actors:\n  - {name: Barista, capacity: 1, hours: '25:00-26:00'}"),
                 id="SL405-no-simulation-section"),
    pytest.param("SL501", dict(frontstage="{id: take, text: Take, department: Cafe, basis: observed}"),
                 id="SL501-department-owns-it"),
    pytest.param("SL501", dict(support="{id: machine, text: Espresso machine}"), id="SL501-support-needs-no-actor"),
    pytest.param("SL502", dict(backstage="{id: brew, text: Brew, actor: Chef, department: Kitchen}",
                               links=ONLY_FRONT_LINK + "  - {from: take, to: brew, label: Order ticket}\n"
                               "  - {from: brew, to: machine, label: Machine log}"), id="SL502-labelled"),
    pytest.param("SL601", dict(links=""), id="SL601-no-links-drawn-read-by-column"),
    pytest.param("SL601", dict(steps="- id: pay\n  customer: {id: pay-card, text: Pay}\n  frontstage: {id: till, "
                               "text: Take payment, actor: B}\n  backstage: {id: wipe, text: Wipe, actor: B}",
                               links=LINKS + "  - {from: till, to: wipe}"), id="SL601-linked-to-the-contact"),
    pytest.param("SL602", dict(steps=SECOND_STEP % ("Take the order.", "Cashier")), id="SL602-other-actor"),
    pytest.param("SL602", dict(steps=SECOND_STEP % ("Take payment", "Barista") + "  evidence: Menu board"),
                 id="SL602-evidence-repeats"),
    pytest.param("SL503", dict(), id="SL503-named"),
    pytest.param("SL501", dict(frontstage="{id: take, text: Take the order, actor: TBD}"), id="SL501-left-to-SL503"),
    pytest.param("SL504", dict(steps=SECOND_STEP % ("Take payment", "Cashier")), id="SL504-other-role"),
    pytest.param("SL504", dict(steps=SECOND_STEP % ("Take payment", "Baristas"),
                               tail="actors:\n  - {name: Barista, aliases: [Baristas]}"), id="SL504-declared-alias"),
    pytest.param("SL505", dict(customer="{id: ask, text: Order a flat white, actor: Guest}"), id="SL505-customer"),
    pytest.param("SL505", dict(customer="{id: ask, text: Order a flat white, actor: Ms Jones}",
                               tail="actors:\n  - {name: Ms Jones}"), id="SL505-declared-persona"),
    pytest.param("SL506", dict(tail="simulation:\n  arrivals: {rate: 5/h}\n  resources: {Barista: 1}"),
                 id="SL506-light-load"),
    pytest.param("SL506", dict(tail="simulation:\n  arrivals: {rate: 30/h}"), id="SL506-capacity-unknown"),
    pytest.param("SL506", dict(steps=SECOND_STEP % ("Take payment", "Cashier")), id="SL506-a-specialist-in-one-step"),
    pytest.param("SL604", dict(steps=SECOND_STEP % ("Ask for the dessert order", "Cashier")),
                 id="SL604-another-subject"),
    pytest.param("SL604", dict(steps=SECOND_STEP % ("Take payment", "Cashier") + "  evidence: Menu board"),
                 id="SL604-evidence-repeats"),
    pytest.param("SL605", dict(steps=SECOND_STEP % ("Take payment", "Cashier")
                               + "  support: {id: brew2, text: Brew coffee, actor: Barista, department: Cafe}"),
                 id="SL605-same-department"),
    pytest.param("SL201", dict(frontstage=None, evidence=None, customer="{id: ask, text: Order by phone, "
                               "channel: phone}", links="\n  - {from: brew, to: machine}\n"),
                 id="SL201-phone-answered-backstage"),
    pytest.param("SL201", dict(frontstage=None, links="\n  - {from: brew, to: machine}\n"),
                 id="SL201-evidence-in-the-step"),
    pytest.param("SL203", dict(customer="{id: ask, text: Phone the order in, channel: phone}",
                               links="\n  - {from: ask, to: brew}\n"), id="SL203-customer-phones"),
    pytest.param("SL502", dict(support="{id: machine, text: Espresso machine, actor: POS system, department: IT}",
                               links=LINKS), id="SL502-person-to-system"),
    pytest.param("SL602", dict(steps=SECOND_STEP % ("Take the payment", "Barista")), id="SL602-different-work"),
    pytest.param("SL603", dict(links="\n  - {from: take, to: brew, two_way: true}\n"), id="SL603-two-way-is-no-loop"),
    pytest.param("SL701", dict(customer="{id: ask, text: Order, emotion: -1, pain: Slow, basis: observed}",
                               tail="opportunities:\n  - {id: app, title: Order ahead, targets: [take]}"),
                 id="SL701-targeted-in-step"),
    pytest.param("SL701", dict(customer="{id: ask, text: Order, emotion: 0, basis: observed}"), id="SL701-neutral"),
    pytest.param("SL703", dict(state="future"), id="SL703-future-state"),
    pytest.param("SL703", dict(state="future", customer="{id: ask, text: Order}",
                               frontstage="{id: take, text: T, actor: B}"),
                 id="SL703-future-state-assumed"),
    pytest.param("SL705", dict(customer="{id: ask, text: Order, emotion: -1, basis: observed}",
                               backstage="{id: brew, text: Brew, actor: B, pain: The grinder jams}"),
                 id="SL705-pain-in-step"),
    pytest.param("SL706", dict(tail=SIMULATION + "opportunities:\n  - {id: app, title: Order ahead, targets: [take], "
                               "change: [take.duration=*0.5, Barista=+1]}"), id="SL706-valid-change"),
    pytest.param("SL901", dict(tail="checks:\n  ignore: [SL3, frontstage-without-backstage]"), id="SL901-known"),
]  # fmt: skip


def _of(findings: list[Finding], code: str) -> list[Finding]:
    return [finding for finding in findings if finding.rule == code]


def test_the_clean_blueprint_passes_every_rule() -> None:
    assert check(coffee()) == []


@pytest.mark.parametrize(("code", "changes", "where"), FIRES)
def test_rule_fires(code: str, changes: dict[str, Any], where: dict[str, str | None]) -> None:
    found = _of(check(coffee(**changes)), code)
    assert found, f"{code} should fire"
    first = found[0]
    for field, value in where.items():
        assert getattr(first, field) == value, f"{code}: {field}"
    assert first.message and first.fix


@pytest.mark.parametrize(("code", "changes"), QUIET)
def test_rule_stays_quiet(code: str, changes: dict[str, Any]) -> None:
    assert _of(check(coffee(**changes)), code) == []


def test_every_rule_has_cases_that_fire_and_cases_that_do_not() -> None:
    fired = {case.values[0] for case in FIRES}
    codes = {rule.code for rule in all_rules()}
    assert fired == codes
    # The clean blueprint is the quiet case of every rule; these add the near misses.
    assert {case.values[0] for case in QUIET} <= codes


def test_customer_sees_backstage_names_both_ends() -> None:
    (finding,) = _of(check(coffee(links="\n  - {from: ask, to: brew}\n")), "SL203")
    assert "Order a flat white" in finding.message and "Brew the coffee" in finding.message


def test_near_duplicates_report_the_later_card_once_per_cluster() -> None:
    steps = "\n".join(
        f"- id: s{i}\n  customer: {{id: c{i}, text: Step {i}}}\n  frontstage: {{id: f{i}, text: Take the order, "
        f"actor: Barista}}"
        for i in range(3)
    )
    bp = coffee(steps=steps, frontstage=FRONTSTAGE)
    duplicates = _of(check(bp), "SL602")
    assert [f.card for f in duplicates] == ["f0", "f1", "f2"]
    assert all("'Take the order'" in f.message for f in duplicates)


def test_short_texts_must_match_exactly_to_count_as_duplicates() -> None:
    steps = "- id: s1\n  customer: {id: c1, text: Go}\n  frontstage: {id: f1, text: Pay, actor: A}\n" \
            "- id: s2\n  customer: {id: c2, text: Go on}\n  frontstage: {id: f2, text: Pat, actor: A}"  # fmt: skip
    assert _of(check(coffee(steps=steps)), "SL602") == []


def test_rework_loop_lists_every_card_of_the_cycle() -> None:
    links = "\n  - {from: take, to: brew}\n  - {from: brew, to: machine}\n  - {from: machine, to: take}\n"
    (finding,) = _of(check(coffee(links=links, customer=CUSTOMER)), "SL603")
    assert "3 cards" in finding.message
    assert all(text in finding.message for text in ("Take the order", "Brew the coffee", "Espresso machine"))
