"""The diff as one self-contained HTML page: verdict, headline metrics, the
highlighted drawing and every change, grouped like the text report."""

from __future__ import annotations

import re

from jinja2 import Environment

from stageline.analysis.diff.result import BlueprintDiff
from stageline.analysis.diff.sections import sections
from stageline.analysis.diff.summary import metric_title, metric_value
from stageline.analysis.diff.text_report import SYMBOLS

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ old.title }} → {{ new.title }}: what changes</title>
<style>
  :root { --added: #15803d; --removed: #b91c1c; --changed: #b45309; --moved: #0e7490; --muted: #6b7280; }
  body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 72rem;
         padding: 0 1.5rem; color: #111827; }
  h1 { font-size: 1.5rem; margin-bottom: .25rem; }
  h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #e5e7eb; padding-bottom: .25rem; }
  h3 { font-size: 1rem; margin: 1.25rem 0 .25rem; }
  .state { color: var(--muted); font-weight: normal; }
  .verdict { font-weight: 600; }
  table.metrics { border-collapse: collapse; }
  table.metrics th, table.metrics td { padding: .2rem .9rem .2rem 0; text-align: right; }
  table.metrics th:first-child, table.metrics td:first-child { text-align: left; }
  .better { color: var(--added); } .worse { color: var(--removed); } .same { color: var(--muted); }
  ul.changes { list-style: none; padding-left: 0; margin: 0; }
  ul.changes > li { margin: .15rem 0; }
  .symbol { display: inline-block; width: 1.2rem; font-weight: 700; }
  .kind { display: inline-block; min-width: 6.5rem; color: var(--muted); }
  .diff-added .symbol, .diff-added .label { color: var(--added); }
  .diff-removed .symbol, .diff-removed .label { color: var(--removed); }
  .diff-changed .symbol, .diff-changed .label { color: var(--changed); }
  .diff-moved .symbol, .diff-moved .label { color: var(--moved); }
  .note, code.id { color: var(--muted); }
  ul.fields { list-style: none; margin: 0 0 .25rem 7.7rem; padding: 0; font-size: .93rem; }
  del { color: var(--removed); text-decoration: line-through; } ins { color: var(--added); text-decoration: none; }
  .legend span { display: inline-block; padding: 0 .5rem; margin-right: .5rem; border-radius: 3px; border: 1px solid; }
  .legend .added { border-color: var(--added); color: var(--added); }
  .legend .removed { border-color: var(--removed); color: var(--removed); }
  .legend .changed { border-color: var(--changed); color: var(--changed); }
  figure.drawing { margin: 1rem 0; overflow-x: auto; }
  figure.drawing svg { max-width: none; height: auto; }
</style>
</head>
<body>
<header>
  <h1>{{ old.title }} <span class="state">({{ old.state }})</span> → {{ new.title }}
    <span class="state">({{ new.state }})</span></h1>
  <p class="verdict">{{ verdict }}</p>
</header>
{% if metrics %}
<section>
  <h2>Headline metrics</h2>
  <table class="metrics">
    <thead><tr><th>Metric</th><th>Before</th><th>After</th><th>Change</th><th></th></tr></thead>
    <tbody>
    {% for m in metrics %}
      <tr class="metric-{{ m.verdict }}"><td>{{ m.title }}</td><td>{{ m.old }}</td><td>{{ m.new }}</td>
        <td class="{{ m.verdict }}">{{ m.change }}</td>
        <td class="{{ m.verdict }}">{{ m.verdict if m.verdict in ("better", "worse") else "" }}</td></tr>
    {% endfor %}
    </tbody>
  </table>
</section>
{% endif %}
{% if drawing %}
<section>
  <h2>Blueprint</h2>
  <p class="legend"><span class="added">added</span><span class="removed">removed</span>
    <span class="changed">changed or moved</span></p>
  <figure class="drawing">{{ drawing | safe }}</figure>
</section>
{% endif %}
<section>
  <h2>Changes</h2>
  {% if not sections %}<p>No differences in content.</p>{% endif %}
  {% for section in sections %}
  <h3>{{ section.title }}</h3>
  <ul class="changes">
    {% for item in section.items %}
    <li class="diff-{{ item.status }}" {% if item.id %}data-id="{{ item.id }}"{% endif %}>
      <span class="symbol">{{ symbols[item.status] }}</span><span class="kind">{{ item.kind }}</span>
      <span class="label">{{ item.label }}</span>
      {% if item.note %}<span class="note">{{ item.note }}</span>{% endif %}
      {% if item.id and item.id != item.label %}<code class="id">{{ item.id }}</code>{% endif %}
      {% if item.fields %}
      <ul class="fields">
        {% for f in item.fields %}<li><code>{{ f.name }}</code>: <del>{{ f.old }}</del> → <ins>{{ f.new }}</ins></li>
        {% endfor %}
      </ul>
      {% endif %}
    </li>
    {% endfor %}
  </ul>
  {% endfor %}
</section>
</body>
</html>
"""

_ENVIRONMENT = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)


def html_report(result: BlueprintDiff, drawing: str | None = None) -> str:
    """The page; `drawing` is the highlighted SVG (`stageline.render.diff.draw_svg`), if there is one."""
    if result.old is None or result.new is None:
        raise ValueError("this diff does not carry its blueprints; compute it with stageline.analysis.diff.diff")
    metrics = [
        {
            "title": metric_title(m.name),
            "old": metric_value(m, m.old),
            "new": metric_value(m, m.new),
            "change": metric_value(m, m.delta, signed=True) if m.delta else "=",
            "verdict": m.verdict,
        }
        for m in result.metrics
    ]
    return _ENVIRONMENT.from_string(_TEMPLATE).render(
        old=result.old,
        new=result.new,
        verdict=result.verdict(),
        metrics=metrics,
        drawing=inline_svg(drawing) if drawing else None,
        sections=sections(result),
        symbols={status: symbol for status, (symbol, _) in SYMBOLS.items()},
    )


def inline_svg(svg: str) -> str:
    """The SVG without its XML declaration or doctype, ready to sit inside HTML."""
    return re.sub(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", "", svg)
