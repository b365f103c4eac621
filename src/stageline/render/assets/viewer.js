// @ts-check
// Stageline blueprint viewer: pan and zoom, link highlighting, card details,
// lane and actor filters, findings. Runs offline; user text only ever goes
// through textContent, never innerHTML.
/** @typedef {{select: (id: string | null) => void, fit: () => void, view: {x: number, y: number, scale: number}}} Viewer */
/** @typedef {Window & {stageline?: Viewer}} ViewerWindow */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("sl-data").textContent);
  var viewport = document.getElementById("sl-viewport");
  var svg = viewport.querySelector("svg");
  var width = parseFloat(svg.getAttribute("width"));
  var height = parseFloat(svg.getAttribute("height"));
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  svg.setAttribute("preserveAspectRatio", "xMinYMin meet");

  // -- pan and zoom (the viewBox is the camera) ----------------------------
  var view = { x: 0, y: 0, scale: 1 };
  function apply() {
    var w = viewport.clientWidth / view.scale;
    var h = viewport.clientHeight / view.scale;
    svg.setAttribute("viewBox", [view.x, view.y, w, h].map(function (n) { return n.toFixed(2); }).join(" "));
    svg.dataset.scale = view.scale.toFixed(4);
  }
  function zoomAt(factor, cx, cy) {
    var scale = Math.min(8, Math.max(0.05, view.scale * factor));
    view.x += cx / view.scale - cx / scale;
    view.y += cy / view.scale - cy / scale;
    view.scale = scale;
    apply();
  }
  function fit() {
    var sx = viewport.clientWidth / width, sy = viewport.clientHeight / height;
    view.scale = Math.min(sx, sy) || 1;
    view.x = -(viewport.clientWidth / view.scale - width) / 2;
    view.y = 0;
    apply();
  }
  function centreOn(box) {
    view.x = box.x + box.width / 2 - viewport.clientWidth / view.scale / 2;
    view.y = box.y + box.height / 2 - viewport.clientHeight / view.scale / 2;
    apply();
  }
  viewport.addEventListener("wheel", function (event) {
    event.preventDefault();
    var rect = viewport.getBoundingClientRect();
    zoomAt(Math.exp(-event.deltaY * 0.0015), event.clientX - rect.left, event.clientY - rect.top);
  }, { passive: false });
  var drag = null;
  viewport.addEventListener("pointerdown", function (event) {
    if (event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y, moved: false };
  });
  window.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!drag.moved) viewport.classList.add("is-dragging");
    drag.moved = true;
    view.x = drag.vx - dx / view.scale;
    view.y = drag.vy - dy / view.scale;
    apply();
  });
  var justDragged = false;
  window.addEventListener("pointerup", function () {
    if (drag && drag.moved) {
      justDragged = true;
      setTimeout(function () { justDragged = false; }, 0);
    }
    drag = null;
    viewport.classList.remove("is-dragging");
  });
  function button(id, action) { document.getElementById(id).addEventListener("click", action); }
  function centre() { return [viewport.clientWidth / 2, viewport.clientHeight / 2]; }
  button("sl-zoom-in", function () { var c = centre(); zoomAt(1.25, c[0], c[1]); });
  button("sl-zoom-out", function () { var c = centre(); zoomAt(0.8, c[0], c[1]); });
  button("sl-fit", fit);
  button("sl-actual", function () { var c = centre(); zoomAt(1 / view.scale, c[0], c[1]); });
  window.addEventListener("resize", apply);
  document.addEventListener("keydown", function (event) {
    if (event.target instanceof HTMLSelectElement) return;
    var c = centre();
    if (event.key === "+" || event.key === "=") zoomAt(1.25, c[0], c[1]);
    else if (event.key === "-") zoomAt(0.8, c[0], c[1]);
    else if (event.key === "0") fit();
    else if (event.key === "Escape") select(null);
  });

  // -- cards, links and highlighting -----------------------------------
  var cards = {};
  /** @type {NodeListOf<SVGGElement>} */ (svg.querySelectorAll("g.sl-card")).forEach(function (g) { cards[g.dataset.id] = g; });
  var links = Array.prototype.slice.call(svg.querySelectorAll("g.sl-link, g.sl-link-label"));
  function related(id) {
    var ids = {};
    links.forEach(function (g) {
      if (g.dataset.source === id) ids[g.dataset.target] = true;
      if (g.dataset.target === id) ids[g.dataset.source] = true;
    });
    return ids;
  }
  function hover(id) {
    svg.classList.toggle("has-hover", id !== null);
    var near = id === null ? {} : related(id);
    links.forEach(function (g) {
      g.classList.toggle("is-related", id !== null && (g.dataset.source === id || g.dataset.target === id));
    });
    Object.keys(cards).forEach(function (key) {
      cards[key].classList.toggle("is-hovered", key === id);
      cards[key].classList.toggle("is-related", near[key] === true);
    });
  }
  Object.keys(cards).forEach(function (id) {
    var g = cards[id];
    g.addEventListener("mouseenter", function () { hover(id); });
    g.addEventListener("mouseleave", function () { hover(null); });
    g.addEventListener("click", function (event) {
      event.stopPropagation();
      if (!justDragged) select(id);
    });
  });
  viewport.addEventListener("click", function () { if (!justDragged) select(null); });

  // -- the side panel ----------------------------------------------------
  var details = document.getElementById("sl-details");
  var findingsSection = document.getElementById("sl-findings");
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function clearSelection() {
    svg.querySelectorAll(".is-selected").forEach(function (node) { node.classList.remove("is-selected"); });
  }
  function select(id) {
    clearSelection();
    details.textContent = "";
    if (id === null || !data.cards[id]) {
      details.hidden = true;
      findingsSection.hidden = false;
      document.body.dataset.selected = "";
      return;
    }
    var card = data.cards[id];
    cards[id].classList.add("is-selected");
    document.body.dataset.selected = id;
    var close = el("button", "Close", "sl-close");
    close.addEventListener("click", function () { select(null); });
    details.appendChild(close);
    details.appendChild(el("h2", card.laneTitle + " · " + card.stepTitle));
    details.appendChild(el("p", card.text, "sl-card-text"));
    var list = el("dl");
    card.fields.forEach(function (pair) {
      list.appendChild(el("dt", pair[0]));
      list.appendChild(el("dd", pair[1]));
    });
    details.appendChild(list);
    if (card.links.length) {
      details.appendChild(el("h2", "Links"));
      var ul = el("ul");
      card.links.forEach(function (link) {
        var other = data.cards[link.other];
        var item = el("button", link.arrow + " " + (other ? other.text : link.other) + (link.label ? " (" + link.label + ")" : ""));
        item.addEventListener("click", function () { select(link.other); centreOn(cards[link.other].getBBox()); });
        var li = el("li");
        li.appendChild(item);
        ul.appendChild(li);
      });
      details.appendChild(ul);
    }
    var own = data.findings.filter(function (f) { return f.card === id; });
    if (own.length) {
      details.appendChild(el("h2", "Findings"));
      var fl = el("ul");
      own.forEach(function (f) { fl.appendChild(findingItem(f, false)); });
      details.appendChild(fl);
    }
    details.hidden = false;
    findingsSection.hidden = true;
  }
  function findingItem(f, clickable) {
    var li = el("li");
    var b = el("button");
    b.appendChild(el("span", f.severity, "sl-severity " + f.severity));
    b.appendChild(document.createTextNode(f.message));
    if (f.fix) b.title = f.fix;
    b.dataset.rule = f.rule;
    if (clickable) {
      b.addEventListener("click", function () {
        var target = f.card && cards[f.card] ? cards[f.card] : null;
        if (target) {
          select(f.card);
          centreOn(target.getBBox());
          return;
        }
        clearSelection();
        var selector = f.step ? 'g.sl-step[data-id="' + CSS.escape(f.step) + '"]'
          : f.stage ? 'g.sl-stage[data-id="' + CSS.escape(f.stage) + '"]' : null;
        /** @type {SVGGraphicsElement | null} */
        var group = selector ? svg.querySelector(selector) : null;
        if (f.step && f.lane) {
          group = svg.querySelector('g.sl-cell[data-step="' + CSS.escape(f.step) + '"][data-lane="' + CSS.escape(f.lane) + '"]') || group;
        }
        if (group) {
          group.classList.add("is-selected");
          centreOn(group.getBBox());
        }
      });
    } else {
      b.disabled = true;
    }
    li.appendChild(b);
    return li;
  }
  (function listFindings() {
    findingsSection.appendChild(el("h2", data.findings.length ? "Findings (" + data.findings.length + ")" : "Findings"));
    if (!data.findings.length) {
      findingsSection.appendChild(el("p", data.checked ? "No findings." : "Select a card to see its details. Render with --findings to list check findings here.", "sl-empty"));
      return;
    }
    var ul = el("ul");
    data.findings.forEach(function (f) { ul.appendChild(findingItem(f, true)); });
    findingsSection.appendChild(ul);
  })();

  // -- filters -------------------------------------------------------------
  var hiddenLanes = {};
  var actor = "";
  function refilter() {
    var out = {};
    Object.keys(cards).forEach(function (id) {
      var g = cards[id];
      var off = hiddenLanes[g.dataset.lane] === true || (actor !== "" && g.dataset.actor !== actor);
      g.classList.toggle("is-filtered", off);
      if (off) out[id] = true;
    });
    links.forEach(function (g) {
      g.classList.toggle("is-filtered", out[g.dataset.source] === true || out[g.dataset.target] === true);
    });
  }
  var laneBox = document.getElementById("sl-lanes");
  data.lanes.forEach(function (lane) {
    var chip = el("button", lane.title, "sl-chip");
    chip.dataset.lane = lane.id;
    chip.setAttribute("aria-pressed", "true");
    chip.addEventListener("click", function () {
      var shown = chip.getAttribute("aria-pressed") === "true";
      chip.setAttribute("aria-pressed", shown ? "false" : "true");
      if (shown) hiddenLanes[lane.id] = true; else delete hiddenLanes[lane.id];
      refilter();
    });
    laneBox.appendChild(chip);
  });
  var actorSelect = /** @type {HTMLSelectElement} */ (document.getElementById("sl-actor"));
  data.actors.forEach(function (name) {
    var option = el("option", name);
    option.value = name;
    actorSelect.appendChild(option);
  });
  actorSelect.addEventListener("change", function () { actor = actorSelect.value; refilter(); });
  if (!data.actors.length) actorSelect.disabled = true;

  fit();
  /** @type {ViewerWindow} */ (window).stageline = { select: select, fit: fit, view: view };
})();
