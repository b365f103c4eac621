// @ts-check
// Operations on a blueprint document, mirroring stageline.model.operations.
//
// The browser applies its own edits at once (before the server answers) and
// replays the server's ordered stream, so it needs the same operations with the
// same structural rules. The server stays authoritative: it validates every
// operation with the Python model and broadcasts the normalised result, which
// this module replays. Tests in tests/editor/ run both implementations on the
// same random operation sequences and require identical documents.
//
// A document is the blueprint's JSON form: {title, lanes: [{id, title, visible}],
// stages: [{id, title, steps: [{id, title?, cells: {lane: [card]}}]}],
// links: [{from, to, two_way?, label?, p?}], opportunities: [...], ...}.

export class OpError extends Error {}

const ID = /^[a-z0-9][a-z0-9_-]*$/;
const CARD_ID = /^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$/;
const STANDARD_LANES = {
  evidence: true, customer: true, frontstage: true, backstage: false, support: false, management: false,
};
const STANDARD_ORDER = Object.keys(STANDARD_LANES);
const RESERVED_STEP_KEYS = new Set(["id", "title"]);

const fail = (message) => new OpError(message);
const clone = (value) => (value === undefined ? undefined : structuredClone(value));
export const linkKey = (source, target) => `${source}->${target}`;

// -- lookups -----------------------------------------------------------------
export function buildIndex(doc) {
  const index = {
    stages: new Map(), steps: new Map(), cards: new Map(), lanes: new Map(),
    opportunities: new Map(), links: new Map(),
  };
  doc.lanes.forEach((lane, i) => index.lanes.set(lane.id, i));
  for (const stage of doc.stages) {
    index.stages.set(stage.id, stage);
    for (const step of stage.steps) {
      index.steps.set(step.id, { stage, step });
      for (const [lane, cards] of Object.entries(step.cells || {})) {
        cards.forEach((card, position) => index.cards.set(card.id, { stage, step, lane, position, card }));
      }
    }
  }
  for (const opportunity of doc.opportunities || []) index.opportunities.set(opportunity.id, opportunity);
  for (const link of doc.links || []) index.links.set(linkKey(link.from, link.to), link);
  return index;
}

function kindOf(index, id) {
  for (const kind of ["cards", "steps", "stages", "opportunities", "lanes", "links"]) {
    if (index[kind].has(id)) return kind.replace(/s$/, "").replace("opportunitie", "opportunity");
  }
  return null;
}

function lookup(map, id, what) {
  if (!map.has(id)) throw fail(`no ${what} has id ${JSON.stringify(id)}`);
  return map.get(id);
}

function position(index, length, what) {
  if (index === undefined || index === null) return length;
  if (!Number.isInteger(index) || index < 0 || index > length) {
    throw fail(`${what} position ${index} is out of range 0..${length}`);
  }
  return index;
}

function allIds(index) {
  return new Set([
    ...index.stages.keys(), ...index.steps.keys(), ...index.cards.keys(),
    ...index.opportunities.keys(), ...index.lanes.keys(),
  ]);
}

function requireNewIds(index, ids) {
  const taken = allIds(index);
  const seen = new Set();
  for (const id of ids) {
    if (taken.has(id) || seen.has(id)) throw fail(`id ${JSON.stringify(id)} is already used in this blueprint`);
    seen.add(id);
  }
}

const stepIds = (step) => [step.id, ...Object.values(step.cells || {}).flat().map((card) => card.id)];
const stageIds = (stage) => [stage.id, ...stage.steps.flatMap(stepIds)];

function requireLanes(index, step) {
  for (const lane of Object.keys(step.cells || {})) lookup(index.lanes, lane, "lane");
}

export function laneOrderProblem(lanes) {
  const ids = lanes.map((lane) => lane.id);
  if (!ids.includes("customer")) return "the customer lane is required";
  let hidden = null;
  for (const lane of lanes) {
    if (lane.id in STANDARD_LANES && lane.visible !== STANDARD_LANES[lane.id]) {
      return `the ${lane.id} lane always sits ${STANDARD_LANES[lane.id] ? "above" : "below"} the line of visibility`;
    }
    if (!lane.visible) hidden = hidden || lane.id;
    else if (hidden) return `lane ${JSON.stringify(lane.id)} is visible but sits below ${JSON.stringify(hidden)}`;
  }
  const standard = ids.filter((id) => id in STANDARD_LANES);
  const canonical = STANDARD_ORDER.filter((id) => standard.includes(id));
  if (standard.join() !== canonical.join()) return `standard lanes must keep their order: ${canonical.join(", ")}`;
  return null;
}

function checkLaneOrder(lanes) {
  const problem = laneOrderProblem(lanes);
  if (problem) throw fail(problem);
}

// Remove links and opportunity targets naming these cards; return the operations restoring them.
function detachCards(doc, cardIds) {
  const restore = [];
  const kept = [];
  (doc.links || []).forEach((link, i) => {
    if (cardIds.has(link.from) || cardIds.has(link.to)) restore.push({ op: "add_link", link, index: i });
    else kept.push(link);
  });
  doc.links = kept;
  for (const opportunity of doc.opportunities || []) {
    const targets = opportunity.targets || [];
    if (targets.some((t) => cardIds.has(t))) {
      restore.push({ op: "set", target: opportunity.id, field: "targets", value: [...targets] });
      opportunity.targets = targets.filter((t) => !cardIds.has(t));
    }
  }
  return restore;
}

const batch = (ops) => (ops.length === 1 ? ops[0] : { op: "batch", ops });
const cellCards = (step) => Object.values(step.cells || {}).flat();

// -- field rules for "set" -----------------------------------------------------
const UNITS = { d: 86400, h: 3600, m: 60, s: 1 };

export function parseDuration(value) {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) throw fail(`${value} is not a duration`);
    return value;
  }
  if (typeof value !== "string") throw fail(`${JSON.stringify(value)} is not a duration`);
  const text = value.trim().toLowerCase();
  const iso = /^p(?:(\d+(?:\.\d+)?)d)?(?:t(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?)?$/.exec(text);
  const compact = /^(?:(\d+(?:\.\d+)?)\s*d)?\s*(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+(?:\.\d+)?)\s*m(?:in)?)?\s*(?:(\d+(?:\.\d+)?)\s*s)?$/.exec(text);
  const match = text.startsWith("p") ? iso : compact;
  if (text && match && match.slice(1).some((v) => v !== undefined)) {
    const [d, h, m, s] = match.slice(1).map((v) => Number(v || 0));
    return d * UNITS.d + h * UNITS.h + m * UNITS.m + s;
  }
  if (text && !Number.isNaN(Number(text)) && Number(text) >= 0) return Number(text) * 60;
  throw fail(`${JSON.stringify(value)} is not a duration: write 45s, 5m, 1h30m or 2d`);
}

const optional = (rule) => (value) => (value === null || value === undefined ? null : rule(value));
const text = (value) => {
  if (typeof value !== "string" || value.length === 0) throw fail("text must not be empty");
  return value;
};
const string = (value) => {
  if (typeof value !== "string") throw fail(`${JSON.stringify(value)} is not text`);
  return value;
};
const bool = (value) => {
  if (typeof value !== "boolean") throw fail(`${JSON.stringify(value)} is not true or false`);
  return value;
};
const intRange = (lo, hi) => (value) => {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (!Number.isInteger(number) || number < lo || number > hi) throw fail(`${value} must be a whole number from ${lo} to ${hi}`);
  return number;
};
const numberRange = (lo, hi) => (value) => {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof number !== "number" || Number.isNaN(number) || number < lo || number > hi) {
    throw fail(`${value} must be a number from ${lo} to ${hi}`);
  }
  return number;
};
const oneOf = (...choices) => (value) => {
  if (!choices.includes(value)) throw fail(`${JSON.stringify(value)} must be one of ${choices.join(", ")}`);
  return value;
};
const strings = (value) => {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw fail("expected a list of text");
  return [...value];
};
// An opportunity's what-if changes: one text or a list of non-empty texts.
const changes = (value) => (typeof value === "string" ? [text(value)] : strings(value).map(text));
// A due date, YYYY-MM-DD, that exists in the calendar.
const isoDate = (value) => {
  const match = typeof value === "string" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim()) : null;
  const day = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!day || day.toISOString().slice(0, 10) !== value.trim()) {
    throw fail(`${JSON.stringify(value)} is not a date: write it YYYY-MM-DD, such as 2027-03-31`);
  }
  return value.trim();
};
const durationOrDistribution = (value) => {
  if (value && typeof value === "object") {
    const out = { dist: oneOf("exponential", "triangular", "uniform", "lognormal", "normal", "constant")(value.dist) };
    for (const key of ["mean", "sd", "min", "mode", "max"]) if (value[key] != null) out[key] = parseDuration(value[key]);
    return out;
  }
  return parseDuration(value);
};
const failPoint = (value) => {
  if (typeof value === "string") return { text: text(value) };
  if (!value || typeof value !== "object") throw fail("a fail point is text or {text, recovery, severity, likelihood}");
  const out = { text: text(value.text) };
  if (value.recovery != null) out.recovery = string(value.recovery);
  if (value.severity != null) out.severity = intRange(1, 5)(value.severity);
  if (value.likelihood != null) out.likelihood = intRange(1, 5)(value.likelihood);
  if (value.p != null) out.p = numberRange(0, 1)(value.p);
  if (value.recovery_time != null) out.recovery_time = parseDuration(value.recovery_time);
  if (value.recovery_cost != null) out.recovery_cost = numberRange(0, Infinity)(value.recovery_cost);
  return out;
};
// Objects the editor passes through whole; the server validates their insides.
const object = (value) => {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw fail("expected an object");
  return clone(value);
};

const FIELDS = {
  blueprint: {
    title: text, scenario: optional(string), persona: optional(string), goal: optional(string),
    state: oneOf("current", "future"), tolerance: optional(parseDuration), currency: optional(string),
    checks: object, simulation: optional(object),
  },
  stage: { title: text },
  step: { title: optional(string) },
  lane: { title: text, visible: bool },
  card: {
    text, actor: optional(string), department: optional(string), channel: optional(string),
    duration: optional(durationOrDistribution), wait: optional(parseDuration),
    cost: optional(numberRange(0, Infinity)), fail: optional(failPoint), emotion: optional(intRange(-2, 2)),
    pain: optional(string), basis: oneOf("observed", "assumed", "proposed"), source: optional(string),
    notes: optional(string), tags: strings, ignore: strings,
  },
  opportunity: {
    title: text, description: optional(string), targets: strings, change: changes, future: optional(text),
    owner: optional(string), measure: optional(string), target: optional(string), due: optional(isoDate),
    value: optional(intRange(1, 5)), effort: optional(intRange(1, 5)),
    status: (v) => oneOf("idea", "planned", "testing", "done", "dropped")(v === "in-progress" ? "testing" : v),
  },
  link: { two_way: bool, label: optional(string), p: optional(numberRange(0, 1)) },
};

function element(doc, index, target) {
  if (target === null || target === undefined) return ["blueprint", doc];
  const kind = kindOf(index, target);
  switch (kind) {
    case "card": return [kind, index.cards.get(target).card];
    case "step": return [kind, index.steps.get(target).step];
    case "stage": return [kind, index.stages.get(target)];
    case "lane": return [kind, doc.lanes[index.lanes.get(target)]];
    case "opportunity": return [kind, index.opportunities.get(target)];
    case "link": return [kind, index.links.get(target)];
    default: throw fail(`nothing in this blueprint has id ${JSON.stringify(target)}`);
  }
}

// -- the operations ------------------------------------------------------------
const APPLY = {
  add_stage(doc, index, op) {
    const at = position(op.index, doc.stages.length, "stage");
    requireNewIds(index, stageIds(op.stage));
    op.stage.steps.forEach((step) => requireLanes(index, step));
    doc.stages.splice(at, 0, clone(op.stage));
    return { op: "remove_stage", id: op.stage.id };
  },
  remove_stage(doc, index, op) {
    const stage = lookup(index.stages, op.id, "stage");
    const at = doc.stages.indexOf(stage);
    doc.stages.splice(at, 1);
    const restore = detachCards(doc, new Set(stage.steps.flatMap(cellCards).map((card) => card.id)));
    return batch([{ op: "add_stage", stage, index: at }, ...restore]);
  },
  move_stage(doc, index, op) {
    const stage = lookup(index.stages, op.id, "stage");
    const old = doc.stages.indexOf(stage);
    position(op.index, doc.stages.length - 1, "stage");
    doc.stages.splice(old, 1);
    doc.stages.splice(op.index, 0, stage);
    return { op: "move_stage", id: op.id, index: old };
  },
  add_step(doc, index, op) {
    const stage = lookup(index.stages, op.stage, "stage");
    const at = position(op.index, stage.steps.length, "step");
    requireNewIds(index, stepIds(op.step));
    requireLanes(index, op.step);
    const step = clone(op.step);
    step.cells = step.cells || {};
    stage.steps.splice(at, 0, step);
    return { op: "remove_step", id: op.step.id };
  },
  remove_step(doc, index, op) {
    const { stage, step } = lookup(index.steps, op.id, "step");
    const at = stage.steps.indexOf(step);
    stage.steps.splice(at, 1);
    const restore = detachCards(doc, new Set(cellCards(step).map((card) => card.id)));
    return batch([{ op: "add_step", stage: stage.id, step, index: at }, ...restore]);
  },
  move_step(doc, index, op) {
    const { stage: from, step } = lookup(index.steps, op.id, "step");
    const to = lookup(index.stages, op.stage, "stage");
    const old = from.steps.indexOf(step);
    position(op.index, to.steps.length - (to === from ? 1 : 0), "step");
    from.steps.splice(old, 1);
    to.steps.splice(op.index, 0, step);
    return { op: "move_step", id: op.id, stage: from.id, index: old };
  },
  add_lane(doc, index, op) {
    const at = position(op.index, doc.lanes.length, "lane");
    if (RESERVED_STEP_KEYS.has(op.lane.id)) throw fail(`${op.lane.id} cannot be a lane id`);
    requireNewIds(index, [op.lane.id]);
    const lanes = [...doc.lanes];
    lanes.splice(at, 0, clone(op.lane));
    checkLaneOrder(lanes);
    doc.lanes = lanes;
    return { op: "remove_lane", id: op.lane.id };
  },
  remove_lane(doc, index, op) {
    const at = lookup(index.lanes, op.id, "lane");
    if (op.id === "customer") throw fail("the customer lane cannot be removed");
    /** @type {Array<Record<string, any>>} */
    const restore = [{ op: "add_lane", lane: doc.lanes[at], index: at }];
    const removed = new Set();
    for (const { step } of index.steps.values()) {
      const cards = (step.cells || {})[op.id] || [];
      delete step.cells[op.id];
      cards.forEach((card, i) => {
        restore.push({ op: "add_card", step: step.id, lane: op.id, card, index: i });
        removed.add(card.id);
      });
    }
    doc.lanes.splice(at, 1);
    restore.push(...detachCards(doc, removed));
    return batch(restore);
  },
  move_lane(doc, index, op) {
    const old = lookup(index.lanes, op.id, "lane");
    position(op.index, doc.lanes.length - 1, "lane");
    const lanes = [...doc.lanes];
    lanes.splice(op.index, 0, ...lanes.splice(old, 1));
    checkLaneOrder(lanes);
    doc.lanes = lanes;
    return { op: "move_lane", id: op.id, index: old };
  },
  add_card(doc, index, op) {
    const { step } = lookup(index.steps, op.step, "step");
    lookup(index.lanes, op.lane, "lane");
    step.cells = step.cells || {};
    const cell = step.cells[op.lane] || [];
    const at = position(op.index, cell.length, "card");
    if (!CARD_ID.test(op.card.id)) throw fail(`${JSON.stringify(op.card.id)} is not a valid card id`);
    requireNewIds(index, [op.card.id]);
    cell.splice(at, 0, clone(op.card));
    step.cells[op.lane] = cell;
    return { op: "remove_card", id: op.card.id };
  },
  remove_card(doc, index, op) {
    const place = lookup(index.cards, op.id, "card");
    const cell = place.step.cells[place.lane];
    const [card] = cell.splice(place.position, 1);
    if (cell.length === 0) delete place.step.cells[place.lane];
    const restore = detachCards(doc, new Set([card.id]));
    return batch([{ op: "add_card", step: place.step.id, lane: place.lane, card, index: place.position }, ...restore]);
  },
  move_card(doc, index, op) {
    const place = lookup(index.cards, op.id, "card");
    const { step: target } = lookup(index.steps, op.step, "step");
    lookup(index.lanes, op.lane, "lane");
    const same = target === place.step && op.lane === place.lane;
    const length = ((target.cells || {})[op.lane] || []).length - (same ? 1 : 0);
    const at = position(op.index, length, "card");
    const source = place.step.cells[place.lane];
    const [card] = source.splice(place.position, 1);
    if (source.length === 0) delete place.step.cells[place.lane];
    target.cells = target.cells || {};
    (target.cells[op.lane] = target.cells[op.lane] || []).splice(at, 0, card);
    return { op: "move_card", id: op.id, step: place.step.id, lane: place.lane, index: place.position };
  },
  add_link(doc, index, op) {
    const link = op.link;
    lookup(index.cards, link.from, "card");
    lookup(index.cards, link.to, "card");
    if (link.from === link.to) throw fail("a link cannot join a card to itself");
    if (index.links.has(linkKey(link.from, link.to))) throw fail("these cards are already linked");
    const reverse = index.links.get(linkKey(link.to, link.from));
    if (reverse && (reverse.two_way || link.two_way)) throw fail("these cards are already linked both ways");
    doc.links = doc.links || [];
    const at = position(op.index, doc.links.length, "link");
    doc.links.splice(at, 0, clone(link));
    return { op: "remove_link", from: link.from, to: link.to };
  },
  remove_link(doc, index, op) {
    const link = lookup(index.links, linkKey(op.from, op.to), "link");
    const at = doc.links.indexOf(link);
    doc.links.splice(at, 1);
    return { op: "add_link", link, index: at };
  },
  add_opportunity(doc, index, op) {
    doc.opportunities = doc.opportunities || [];
    const at = position(op.index, doc.opportunities.length, "opportunity");
    requireNewIds(index, [op.opportunity.id]);
    for (const target of op.opportunity.targets || []) lookup(index.cards, target, "card");
    doc.opportunities.splice(at, 0, clone(op.opportunity));
    return { op: "remove_opportunity", id: op.opportunity.id };
  },
  remove_opportunity(doc, index, op) {
    const opportunity = lookup(index.opportunities, op.id, "opportunity");
    const at = doc.opportunities.indexOf(opportunity);
    doc.opportunities.splice(at, 1);
    return { op: "add_opportunity", opportunity, index: at };
  },
  move_opportunity(doc, index, op) {
    const opportunity = lookup(index.opportunities, op.id, "opportunity");
    const old = doc.opportunities.indexOf(opportunity);
    position(op.index, doc.opportunities.length - 1, "opportunity");
    doc.opportunities.splice(old, 1);
    doc.opportunities.splice(op.index, 0, opportunity);
    return { op: "move_opportunity", id: op.id, index: old };
  },
  set(doc, index, op) {
    const [kind, target] = element(doc, index, op.target);
    const field = kind === "link" && op.field in { from: 1, to: 1 } ? op.field : op.field;
    const rule = FIELDS[kind][field];
    if (!rule) throw fail(`a ${kind} cannot set ${JSON.stringify(op.field)} here`);
    const value = rule(op.value);
    if (kind === "opportunity" && field === "targets") value.forEach((t) => lookup(index.cards, t, "card"));
    if (kind === "lane" && field === "visible") {
      checkLaneOrder(doc.lanes.map((lane) => (lane === target ? { ...lane, visible: value } : lane)));
    }
    const old = target[field] === undefined ? null : target[field];
    if (value === null) delete target[field];
    else target[field] = value;
    op.value = value; // normalised, as the server does
    return { op: "set", target: op.target ?? null, field, value: old };
  },
  rename(doc, index, op) {
    const kind = kindOf(index, op.id);
    if (kind === null || kind === "link") throw fail(`nothing renameable has id ${JSON.stringify(op.id)}`);
    if (!(kind === "card" ? CARD_ID : ID).test(op.new_id)) throw fail(`${JSON.stringify(op.new_id)} is not a valid id`);
    if (op.new_id === op.id) return { op: "rename", id: op.id, new_id: op.id };
    requireNewIds(index, [op.new_id]);
    if (kind === "lane") {
      if (op.id in STANDARD_LANES || op.new_id in STANDARD_LANES || RESERVED_STEP_KEYS.has(op.new_id)) {
        throw fail("standard lanes keep their ids");
      }
      doc.lanes[index.lanes.get(op.id)].id = op.new_id;
      for (const { step } of index.steps.values()) {
        if (step.cells && op.id in step.cells) {
          step.cells = Object.fromEntries(Object.entries(step.cells).map(([k, v]) => [k === op.id ? op.new_id : k, v]));
        }
      }
    } else if (kind === "card") {
      index.cards.get(op.id).card.id = op.new_id;
      for (const link of doc.links || []) {
        if (link.from === op.id) link.from = op.new_id;
        if (link.to === op.id) link.to = op.new_id;
      }
      for (const opportunity of doc.opportunities || []) {
        opportunity.targets = (opportunity.targets || []).map((t) => (t === op.id ? op.new_id : t));
      }
    } else if (kind === "step") index.steps.get(op.id).step.id = op.new_id;
    else if (kind === "stage") index.stages.get(op.id).id = op.new_id;
    else index.opportunities.get(op.id).id = op.new_id;
    return { op: "rename", id: op.new_id, new_id: op.id };
  },
  batch(doc, _index, op) {
    const inverses = [];
    try {
      for (const inner of op.ops) inverses.push(applyOp(doc, inner));
    } catch (error) {
      for (const inverse of inverses.reverse()) applyOp(doc, inverse);
      throw error;
    }
    return { op: "batch", ops: inverses.reverse() };
  },
};

// Apply `op` to `doc` in place and return its inverse; throws OpError (leaving
// `doc` unchanged) when the operation does not fit the document.
export function applyOp(doc, op) {
  const apply = APPLY[op && op.op];
  if (!apply) throw fail(`unknown operation ${JSON.stringify(op && op.op)}`);
  return apply(doc, buildIndex(doc), op);
}

export const OPERATIONS = Object.keys(APPLY);
