// @ts-check
// The blueprint grid as DOM: stage and step headers, lane rows, the lines
// between lanes, cells and their cards. Pure rendering from the document and
// the view state; the editor wires the events.

import { formatDuration, h } from "./dom.js";
import { CUSTOM_LANE_COLOURS, LANE_COLOURS, LINE_TITLES } from "./model.js";
import { cardLook, EMOTION_LABELS } from "./layout.js";

// Each lane's colours, as the drawing (the renderer's light theme) has them:
// standard lanes by id, custom lanes in turn by their order.
export function laneColours(doc) {
  const colours = new Map();
  let custom = 0;
  for (const lane of doc.lanes) {
    colours.set(lane.id, LANE_COLOURS[lane.id] || CUSTOM_LANE_COLOURS[custom++ % CUSTOM_LANE_COLOURS.length]);
  }
  return colours;
}

// The lines between lanes, derived from lane order as in the Python model.
export function linesOf(doc) {
  const ids = doc.lanes.map((lane) => lane.id);
  const lines = [];
  const between = (name, upper, lower) => {
    if (upper >= 0 && lower < ids.length && upper < lower) lines.push({ name, above: ids[upper], below: ids[lower] });
  };
  const customer = ids.indexOf("customer");
  if (customer >= 0) between("interaction", customer, customer + 1);
  const firstHidden = doc.lanes.findIndex((lane) => !lane.visible);
  if (firstHidden > 0) between("visibility", firstHidden - 1, firstHidden);
  const support = ids.indexOf("support");
  if (support > 0) between("internal-interaction", support - 1, support);
  const management = ids.indexOf("management");
  if (management > 0) between("implementation", management - 1, management);
  return lines;
}

// A step's title: its own, else what the customer does in it. Never its
// internal id: a step with neither is an "Untitled step", shown as a prompt.
export const UNTITLED_STEP = "Untitled step";

export function stepTitle(step) {
  if (step.title) return step.title;
  const customer = (step.cells || {}).customer;
  return customer && customer.length ? customer[0].text : UNTITLED_STEP;
}

function badges(card) {
  const list = [];
  if (card.fail) {
    const severity = card.fail.severity ? ` ${card.fail.severity}` : "";
    list.push(h("span", { class: `sl-badge sl-badge-fail${card.fail.recovery ? "" : " sl-badge-open"}`,
      title: `Fail point: ${card.fail.text}${card.fail.recovery ? ` — recovery: ${card.fail.recovery}` : " — no recovery"}` },
    `F${severity}`));
  }
  if (card.wait) list.push(h("span", { class: "sl-badge sl-badge-wait", title: "Customer waits" }, `W ${formatDuration(card.wait)}`));
  if (card.duration !== undefined && card.duration !== null) {
    list.push(h("span", { class: "sl-badge sl-badge-time", title: "Duration" }, formatDuration(card.duration)));
  }
  if (card.emotion !== undefined && card.emotion !== null) {
    list.push(h("span", { class: `sl-badge sl-badge-emotion sl-emotion-${card.emotion}`, title: `Emotion ${card.emotion}` },
      EMOTION_LABELS[card.emotion]));
  }
  if (card.pain) list.push(h("span", { class: "sl-badge sl-badge-pain", title: `Pain point: ${card.pain}` }, "pain"));
  return list;
}

function cardElement(card, lane, view) {
  const classes = ["sl-card", `sl-lane-${lane}`];
  if (view.selection.has(card.id)) classes.push("is-selected");
  if (view.matches && !view.matches.has(card.id)) classes.push("is-dimmed");
  if (view.remoteSelections.has(card.id)) classes.push("is-remote-selected");
  if (card.basis === "proposed") classes.push("is-proposed");
  const remote = view.remoteSelections.get(card.id);
  const talk = view.comments ? view.comments.get(card.id) || 0 : 0;
  return h("div", {
    class: classes.join(" "), dataset: { card: card.id }, tabindex: "-1", role: "button",
    "aria-label": card.text, style: remote ? { "--remote": remote.color } : undefined,
  },
  h("div", { class: "sl-card-text" }, card.text),
  card.actor ? h("div", { class: "sl-card-actor" }, card.actor) : null,
  h("div", { class: "sl-badges" }, badges(card)),
  remote ? h("span", { class: "sl-remote-tag" }, remote.name) : null,
  talk ? h("button", { class: "sl-talk", type: "button", dataset: { action: "open-pin", pin: card.id },
    title: `${talk} open comment thread${talk === 1 ? "" : "s"}: click to read and reply here`, "aria-label": `${talk} open comment threads` },
  String(talk)) : null,
  view.canEdit ? h("span", { class: "sl-handle", title: "Drag to another card to link", dataset: { handle: card.id } }) : null);
}

// The grid's items: corner, stage and step headers, lane heads and cells,
// each with a key, a signature of everything it shows, and a builder. `view`
// holds: selection (Set), cursor {step, lane}, collapsedStages/collapsedLanes
// (Set), matches (Set|null), findingsByCell (Map "step|lane" -> [finding]),
// remoteSelections (Map id -> {name, color}), canEdit.
//
// Only the cells of the columns `window.shows(column)` accepts are items (a
// 1,000-card board keeps a few screens of cells in the page, not all of them);
// headers and lane labels always are. Each lane's row is at least
// `window.floors[lane index]` pixels high: its tallest cell, drawn or not, so
// rows keep their height as columns come and go.
/**
 * @typedef {{shows: (column: number) => boolean, floors: number[]|null, keep?: boolean}} GridWindow
 * (`keep`: only add and drop cells as the window moves; what is drawn stays as it is)
 */
export function gridColumns(doc, view) {
  const columns = [];
  for (const stage of doc.stages) {
    if (view.collapsedStages.has(stage.id) || stage.steps.length === 0) columns.push({ stage, step: null });
    else for (const step of stage.steps) columns.push({ stage, step });
  }
  return columns;
}

function gridItems(doc, view, window) {
  const lines = linesOf(doc);
  const colours = laneColours(doc);
  const lineBelow = new Map(lines.map((line) => [line.above, line]));
  const columns = gridColumns(doc, view);
  const template = ["var(--lane-head)", ...columns.map((c) => (c.step ? "var(--col)" : "var(--col-collapsed)")),
    ...(columns.length ? [] : ["var(--col)"])].join(" ");
  const rows = ["var(--stage-row)", "minmax(44px, auto)",
    ...doc.lanes.map((_, n) => `minmax(${window.floors ? window.floors[n] || 64 : 64}px, auto)`)].join(" ");
  const items = [];
  const add = (key, signature, build, cell = false) => items.push({ key, sig: JSON.stringify(signature), build, cell });

  add("corner", [doc.state], () => h("div", { class: "sl-corner", style: { gridRow: "1 / span 2", gridColumn: "1" } },
    h("div", { class: "sl-doc-state" }, doc.state === "future" ? "Future state" : "Current state")));

  if (!doc.stages.length) {
    // A blank blueprint: say where to start.
    add("start", [view.canEdit, doc.lanes.length], () => h("div", { class: "sl-start",
      style: { gridRow: `1 / span ${doc.lanes.length + 2}`, gridColumn: "2" } },
    h("p", {}, "No stages yet."),
    view.canEdit ? h("button", { class: "sl-tool sl-primary", dataset: { action: "add-stage" } }, "+ Add the first stage") : null,
    view.canEdit ? h("p", { class: "sl-hint" }, "Then double-click a cell to add a card, or use the arrow keys and Enter.") : null));
  }

  // Stage headers.
  let column = 2;
  for (const stage of doc.stages) {
    const collapsed = view.collapsedStages.has(stage.id);
    const span = collapsed || stage.steps.length === 0 ? 1 : stage.steps.length;
    const selected = view.selection.has(stage.id);
    const at = column;
    add(`stage|${stage.id}`, [stage.title, collapsed, selected, view.canEdit, at, span], () => h("div", {
      class: `sl-stage${collapsed ? " is-collapsed" : ""}${selected ? " is-selected" : ""}`,
      dataset: { stage: stage.id },
      title: view.canEdit ? "Drag to reorder" : null, style: { gridRow: "1", gridColumn: `${at} / span ${span}` },
    },
    h("button", { class: "sl-icon sl-collapse", dataset: { action: "toggle-stage", stage: stage.id },
      "aria-label": collapsed ? `Expand ${stage.title}` : `Collapse ${stage.title}`, title: collapsed ? "Expand" : "Collapse" },
    collapsed ? "▸" : "▾"),
    h("span", { class: "sl-title", dataset: { rename: "stage", id: stage.id } }, stage.title),
    view.canEdit ? h("span", { class: "sl-head-actions" },
      h("button", { class: "sl-icon", dataset: { action: "add-step", stage: stage.id }, title: "Add a step to this stage",
        "aria-label": `Add a step to ${stage.title}` }, "+"),
      h("button", { class: "sl-icon", dataset: { action: "delete-stage", stage: stage.id }, title: "Delete stage",
        "aria-label": `Delete stage ${stage.title}` }, "×")) : null));
    column += span;
  }

  // Step headers.
  column = 2;
  for (const { stage, step } of columns) {
    const at = column;
    if (!step) {
      add(`steps|${stage.id}`, [stage.steps.length, at], () => h("div", { class: "sl-step is-collapsed",
        style: { gridRow: "2", gridColumn: `${at}` } }, `${stage.steps.length} step${stage.steps.length === 1 ? "" : "s"}`));
    } else {
      const title = stepTitle(step);
      const selected = view.selection.has(step.id);
      add(`step|${step.id}`, [title, selected, view.canEdit, at], () => h("div", {
        class: `sl-step${selected ? " is-selected" : ""}`, dataset: { step: step.id },
        title: view.canEdit ? "Drag to reorder, or onto a stage to move it there" : null,
        style: { gridRow: "2", gridColumn: `${at}` },
      },
      h("span", { class: `sl-title${title === UNTITLED_STEP && !step.title ? " is-placeholder" : ""}`, dataset: { rename: "step", id: step.id } }, title),
      view.canEdit ? h("span", { class: "sl-head-actions" },
        h("button", { class: "sl-icon", dataset: { action: "add-step-after", step: step.id }, title: "Add a step after this one",
          "aria-label": `Add a step after ${title}` }, "+"),
        h("button", { class: "sl-icon", dataset: { action: "delete-step", step: step.id }, title: "Delete step",
          "aria-label": `Delete step ${title}` }, "×")) : null));
    }
    column += 1;
  }

  // Lane rows.
  doc.lanes.forEach((lane, laneIndex) => {
    const row = laneIndex + 3;
    const collapsed = view.collapsedLanes.has(lane.id);
    const line = lineBelow.get(lane.id);
    const lineClass = line ? ` sl-line-${line.name}` : "";
    const colour = colours.get(lane.id);
    const paint = { background: colour.band, "--lane-accent": colour.accent, "--lane-title": colour.title };
    add(`lane|${lane.id}`, [lane.title, lane.visible, collapsed, lineClass, view.canEdit, row, colour], () => h("div", {
      class: `sl-lane-head sl-lane-${lane.id}${collapsed ? " is-collapsed" : ""}${lineClass}`,
      dataset: { lane: lane.id }, title: view.canEdit ? "Drag to reorder" : null, style: { gridRow: `${row}`, gridColumn: "1", ...paint },
    },
    h("button", { class: "sl-icon sl-collapse", dataset: { action: "toggle-lane", lane: lane.id },
      "aria-label": collapsed ? `Expand ${lane.title}` : `Collapse ${lane.title}` }, collapsed ? "▸" : "▾"),
    h("span", { class: "sl-title", dataset: { rename: "lane", id: lane.id } }, lane.title),
    lane.visible ? null : h("span", { class: "sl-hidden-mark", title: "Below the line of visibility: the customer does not see this" }, "hidden"),
    view.canEdit && lane.id !== "customer" ? h("button", { class: "sl-icon sl-lane-delete", dataset: { action: "delete-lane", lane: lane.id },
      "aria-label": `Delete lane ${lane.title}`, title: "Delete lane" }, "×") : null,
    line ? h("span", { class: "sl-line-label" }, LINE_TITLES[line.name]) : null));

    let col = 2;
    for (const { stage, step } of columns) {
      const at = col;
      col += 1;
      if (!window.shows(at - 2)) continue;
      const classes = `sl-cell sl-lane-${lane.id}${lineClass}${collapsed ? " is-collapsed" : ""}`;
      if (!step) {
        const count = stage.steps.reduce((n, s) => n + ((s.cells || {})[lane.id] || []).length, 0);
        add(`stagecell|${stage.id}|${lane.id}`, [classes, count, row, at, colour], () => h("div", {
          class: `${classes} is-stage-collapsed`, style: { gridRow: `${row}`, gridColumn: `${at}`, ...paint } },
        count ? h("span", { class: "sl-count" }, String(count)) : null), true);
      } else {
        const cards = (step.cells || {})[lane.id] || [];
        const key = `${step.id}|${lane.id}`;
        const findings = view.findingsByCell.get(key) || [];
        const isCursor = Boolean(view.cursor && view.cursor.step === step.id && view.cursor.lane === lane.id);
        const looks = cards.map((card) => {
          const remote = view.remoteSelections.get(card.id);
          return [view.selection.has(card.id), view.matches ? view.matches.has(card.id) : null, remote ? [remote.name, remote.color] : null,
            view.comments ? view.comments.get(card.id) || 0 : 0];
        });
        const label = `${stepTitle(step)}, ${lane.title}: ${cards.length} cards`;
        add(`cell|${key}`, [classes, label, isCursor, row, at, view.canEdit, cards.map(cardLook), looks, findings.map((f) => [f.severity, f.message]), colour], () => {
          const cell = h("div", {
            class: `${classes}${isCursor ? " is-cursor" : ""}${findings.length ? " has-findings" : ""}`, role: "gridcell",
            dataset: { step: step.id, lane: lane.id }, tabindex: isCursor ? "0" : "-1", "aria-label": label,
            style: { gridRow: `${row}`, gridColumn: `${at}`, ...paint },
          });
          if (collapsed) {
            if (cards.length) cell.append(h("span", { class: "sl-count" }, String(cards.length)));
          } else {
            for (const card of cards) cell.append(cardElement(card, lane.id, view));
          }
          if (findings.length) {
            const worst = findings.some((f) => f.severity === "error") ? "error"
              : findings.some((f) => f.severity === "warning") ? "warning" : "info";
            cell.append(h("button", { class: `sl-marker sl-marker-${worst}`, dataset: { action: "show-findings", cell: key },
              title: findings.map((f) => f.message).join("\n"),
              "aria-label": `${findings.length} finding${findings.length === 1 ? "" : "s"} here` }, String(findings.length)));
          }
          return cell;
        }, true);
      }
    }
  });
  return { template, rows, items };
}

// Draw the grid into `grid` (a new one when null), rebuilding only the items
// whose signature changed since the last call: an edit redraws one cell, not
// a 700-card blueprint. Items are placed by grid row and column, so their DOM
// order only matters for reading order, which is kept too.
/**
 * @param {any} doc
 * @param {any} view
 * @param {any} [grid]
 * @param {GridWindow} [window] which columns' cells to draw (all by default) and the rows' least heights
 */
export function renderGrid(doc, view, grid = null, window = { shows: () => true, floors: null }) {
  const target = grid || h("div", { class: "sl-grid", role: "grid" });
  const { template, rows, items } = gridItems(doc, view, window);
  if (target.getAttribute("aria-label") !== doc.title) target.setAttribute("aria-label", doc.title);
  if (target.gridTemplate !== template) { target.style.gridTemplateColumns = template; target.gridTemplate = template; }
  if (target.gridRows !== rows) { target.style.gridTemplateRows = rows; target.gridRows = rows; }
  const previous = target.items || new Map();
  const next = new Map();
  let rebuilt = 0;
  const built = [];
  for (const item of items) {
    const old = previous.get(item.key);
    if (old && (old.sig === item.sig || window.keep) && old.element.parentNode === target) next.set(item.key, old);
    else {
      const element = item.build();
      next.set(item.key, { sig: item.sig, element });
      // A cell coming into the window is not a change of the board.
      if (old || !item.cell) rebuilt += 1;
      if (item.cell) built.push(element);
    }
  }
  for (const key of previous.keys()) if (!next.has(key) && !/^(stage)?cell\|/.test(key)) rebuilt += 1;
  // How many items this call drew afresh: none means nothing on the board moved.
  target.rebuilt = rebuilt;
  // The cells drawn afresh (their cards are measured: layout.js).
  target.built = built;
  for (const [key, { element }] of previous) {
    if (next.get(key)?.element !== element) element.remove();
  }
  let cursor = target.firstChild;
  for (const item of items) {
    const { element } = next.get(item.key);
    element.gridKey = item.key;
    if (element === cursor) cursor = cursor.nextSibling;
    else target.insertBefore(element, cursor);
  }
  target.items = next;
  return target;
}

// Forget the item holding `element`, so the next render builds it afresh
// (after an inline editor has changed it in place).
export function invalidateItem(grid, element) {
  let node = element;
  while (node && node.parentNode !== grid) node = node.parentNode;
  const entry = node && grid.items ? grid.items.get(node.gridKey) : null;
  if (entry) entry.sig = null;
}
