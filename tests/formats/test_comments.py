"""`fmt` keeps comments: on top-level keys, stages, steps, cards, links and opportunities."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.strategies import blueprints
from stageline.formats.comments import format_text, scan_comments
from stageline.formats.yaml_format import dumps, loads
from stageline.model import Blueprint

COMMENTED = """\
# Overnight stay, as observed in May
# (header comment)

stageline: 1  # format version
title: Overnight hotel stay
lanes: [evidence, customer, frontstage, backstage, support]   # the default, so fmt drops the key
stages:   # two stages
  # Arrival is where most complaints start
  - id: arrival   # stage comment
    title: Arrival
    steps:
      # the first step
      - id: check-in
        customer:
          - text: Check in   # card text comment
            basis: assumed   # a default, dropped by fmt
            # about the wait
            wait: 8m
        frontstage:    # cell comment
          id: registration
          text: Process registration
          notes: |
            # this is text, not a comment
            second line
links:
  # the registration handoff
  - from: check-in.customer   # link comment
    to: registration
opportunities:
  - {id: mobile-key, title: Mobile check-in, targets: [check-in.customer]}  # opportunity comment
# trailing comment
"""


def test_every_comment_survives_and_stays_with_its_element() -> None:
    formatted = format_text(COMMENTED)
    assert (
        formatted
        == """\
# Overnight stay, as observed in May
# (header comment)

stageline: 1  # format version
title: Overnight hotel stay
state: current
# the default, so fmt drops the key
stages:  # two stages
  # Arrival is where most complaints start
  - id: arrival  # stage comment
    title: Arrival
    steps:
      # the first step
      - id: check-in
        customer:
          text: Check in  # card text comment
          # a default, dropped by fmt
          # about the wait
          wait: 8m
        frontstage:  # cell comment
          id: registration
          text: Process registration
          notes: |
            # this is text, not a comment
            second line
links:
  # the registration handoff
  - {from: check-in.customer, to: registration}  # link comment
opportunities:
  - {id: mobile-key, title: Mobile check-in, targets: [check-in.customer]}  # opportunity comment
# trailing comment
"""
    )
    assert format_text(formatted) == formatted
    assert loads(formatted) == loads(COMMENTED)
    assert loads(formatted).card("registration").notes == "# this is text, not a comment\nsecond line\n"


def test_without_comments_fmt_is_dumps() -> None:
    assert format_text(COMMENTED.replace("# trailing comment\n", "")) != dumps(loads(COMMENTED))
    plain = re.sub(r"(?m)^ *#(?! this is text).*\n|\s+#(?! this is text).*", "", COMMENTED)
    assert "#" not in plain.replace("# this is text", "")
    assert format_text(plain) == dumps(loads(plain))


def _with_comments(text: str, draw: st.DrawFn) -> tuple[str, list[str]]:
    """`text` with whole-line and end-of-line comments sprinkled outside block scalars."""
    lines = text.rstrip("\n").split("\n")
    content = scan_comments(text).content
    out: list[str] = []
    added: list[str] = []
    for number, line in enumerate(lines):
        if number in content:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip(" "))]
        if draw(st.booleans()):
            added.append(f"# above {number}")
            out.append(f"{indent}{added[-1]}")
        if draw(st.booleans()):
            added.append(f"# on {number}")
            line = f"{line}  {added[-1]}"
        out.append(line)
    return "\n".join(out) + "\n", added


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(blueprints(max_stages=2, max_steps=2, max_cards=2), st.data())
def test_comments_anywhere_survive_formatting(bp: Blueprint, data: st.DataObject) -> None:
    text, added = _with_comments(dumps(bp), data.draw)
    assert loads(text) == bp  # the comments themselves are harmless
    formatted = format_text(text)
    assert loads(formatted) == bp
    for comment in added:
        assert comment in formatted
    assert format_text(formatted) == formatted


def test_comments_inside_simulation_maps_survive() -> None:
    text = """stageline: 1
title: Shop
simulation:
  arrivals:
    schedule:
      # morning rush
      08:00: 40/h
      # lunch is quiet
      12:00: 10/h  # after the office crowd
  resources:
    # the only till
    Cashier: 1
"""
    formatted = format_text(text)
    for comment in ("# morning rush", "# lunch is quiet", "# after the office crowd", "# the only till"):
        assert comment in formatted
    assert formatted.index("# lunch is quiet") < formatted.index("12:00")
    assert format_text(formatted) == formatted


CLOSING = """\
stageline: 1
title: Sign-up
stages:
  - id: start
    title: Start
    steps:
      - id: verify
        customer:
          text: Click the link
          wait: 2m
          duration: 1m
          # -> what share never verify?
        # Frontstage: what the product does
        frontstage: {id: mail, text: Send the email, actor: Email service}
  # -> add the first renewal
links:
  - {from: verify.customer, to: mail}
"""


def test_a_comment_that_closes_a_block_stays_at_its_end() -> None:
    """Comments indented deeper than what follows belong to the end of the block above
    (the card, the list of stages), even when fmt reorders that block's keys; the
    shallower lines of the same group still introduce what follows."""
    formatted = format_text(CLOSING)
    assert formatted == (
        CLOSING.replace("          wait: 2m\n          duration: 1m\n", "          duration: 1m\n          wait: 2m\n")
        .replace(
            "        frontstage: {id: mail, text: Send the email, actor: Email service}\n",
            "        frontstage:\n          id: mail\n          text: Send the email\n          actor: Email service\n",
        )
        .replace("stageline: 1\ntitle: Sign-up\n", "stageline: 1\ntitle: Sign-up\nstate: current\n")
    )
    assert format_text(formatted) == formatted


TRICKY = [
    COMMENTED,
    CLOSING,
    "title: \"a # not a comment\"  # but this is\nnotes: '# nor this'\n",
    "notes: |\n  # text\n\n  more text\n\n\n# after a block with blank lines\ntitle: x\n",
    "notes: >-\n  folded # text\n  still text\n# after\n",
    'notes: "two\n  lines # in quotes"  # end\ntitle: y\n',
    "notes: plain text\n  on two lines # a comment\ntitle: z\n",
    "lanes: [a, b,   # inside a flow list\n  c]\n",
    "opportunities:\n  - {id: o, title: 'x # y'}  # end\n  # closing\n",
    "a: &anchor\n  b: 1  # on b\nc: *anchor  # on the alias\n",
    "# only a comment\n",
    "",
]


def _scans(text: str) -> tuple[object, object]:
    from stageline.formats import fast

    saved = fast.ENABLED
    try:
        fast.ENABLED = True
        quick = scan_comments(text)
        fast.ENABLED = False
        reference = scan_comments(text)
    finally:
        fast.ENABLED = saved
    return quick, reference


def test_libyaml_finds_the_comments_where_the_round_trip_parser_does() -> None:
    for text in TRICKY:
        quick, reference = _scans(text)
        assert quick == reference, text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(blueprints(max_stages=2, max_steps=2, max_cards=2), st.data())
def test_libyaml_finds_the_comments_of_any_blueprint_where_the_round_trip_parser_does(
    bp: Blueprint, data: st.DataObject
) -> None:
    text, _ = _with_comments(dumps(bp), data.draw)
    quick, reference = _scans(text)
    assert quick == reference
