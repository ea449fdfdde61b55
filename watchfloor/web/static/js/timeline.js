// The events timeline: one lane per perpetrator, circle size by deaths; wheel or buttons zoom, drag pans.
"use strict";
(function () {
  const box = document.getElementById("timeline");
  const el = window.wfEl;
  const W = 1000, LEFT = 150, RIGHT = 20, TOP = 10, LANE = 30, AXIS = 26;

  function when(p) {
    const [y, m, d] = p.date.split("-").map(Number);
    if (p.date.length === 4) return Date.UTC(y, 6, 1);
    if (p.date.length === 7) return Date.UTC(y, m - 1, 15);
    return Date.UTC(y, m - 1, d);
  }
  const killed = (p) => p.killed ?? p.killed_low ?? 0;

  // Axis ticks for the window: years (every 1, 2, 5, 10… of them) or months (every 1, 2, 3, 6), the finest
  // step whose labels, `labelWidth` wide in chart units, stay `GAP` apart on a `width`-unit axis.
  const GAP = 8;
  const YEAR_STEPS = [1, 2, 5, 10, 20, 25, 50, 100], MONTH_STEPS = [1, 2, 3, 6];
  function ticks(start, end, width, labelWidth) {
    const perDay = width / ((end - start) / 86400000);
    const first = new Date(start);
    const out = [];
    const monthStep = MONTH_STEPS.find((s) => s * 30.4 * perDay >= labelWidth.month + GAP);
    if (monthStep) {
      for (let t = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1); t <= end;) {
        const d = new Date(t);
        if (d.getUTCMonth() % monthStep === 0) out.push([t, d.toISOString().slice(0, 7)]);
        t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      }
    } else {
      const step = YEAR_STEPS.find((s) => s * 365.25 * perDay >= labelWidth.year + GAP) || 1000;
      for (let y = Math.ceil(first.getUTCFullYear() / step) * step; Date.UTC(y, 0, 1) <= end; y += step) out.push([Date.UTC(y, 0, 1), String(y)]);
    }
    return out.filter(([t]) => t >= start && t <= end - (end - start) * 0.03);
  }

  async function main() {
    const response = await fetch(box.dataset.src);
    const data = await response.json();
    const points = (data.items || []).filter((p) => p.date);
    if (!points.length) { box.replaceChildren(el("p", { class: "muted" }, "No dated events match.")); return; }
    const counts = {};
    for (const p of points) { const k = p.perpetrator || "unknown"; counts[k] = (counts[k] || 0) + 1; }
    const named = Object.keys(counts).filter((k) => k !== "unknown").sort((a, b) => counts[b] - counts[a]);
    const lanes = named.slice(0, 9);
    if (named.length > 9) lanes.push("other groups");
    if (counts.unknown) lanes.push("unknown");
    const laneOf = (p) => { const k = p.perpetrator || "unknown"; return lanes.includes(k) ? k : (k === "unknown" ? "unknown" : "other groups"); };
    // Colours come from the server (one colour per actor on every page); "other groups" has none of its own.
    const colour = { unknown: "#9e9e9e" };
    for (const p of points) if (p.perpetrator && lanes.includes(p.perpetrator)) colour[p.perpetrator] = p.perpetrator_colour;
    const H = TOP + LANE * lanes.length + AXIS;
    const times = points.map(when);
    const pad = Math.max(86400000 * 20, (Math.max(...times) - Math.min(...times)) * 0.03);
    const full = [Math.min(...times) - pad, Math.max(...times) + pad];
    let domain = full.slice();
    const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, "aria-label": `${points.length} events` });
    box.replaceChildren(svg);

    function x(t) { return LEFT + ((t - domain[0]) / (domain[1] - domain[0])) * (W - LEFT - RIGHT); }
    // How wide a year and a month label are in chart units, measured once in the axis style.
    let labelWidth = null;
    function measure() {
      const probe = el("g", { class: "axis" });
      const year = el("text", { x: 0, y: H - 8 }, "2088"), month = el("text", { x: 0, y: H - 8 }, "2088-08");
      probe.append(year, month);
      svg.appendChild(probe);
      labelWidth = { year: year.getBBox().width || 30, month: month.getBBox().width || 52 };
      probe.remove();
    }
    function render() {
      svg.replaceChildren();
      if (!labelWidth) measure();
      const axis = el("g", { class: "axis" });
      let right = -Infinity;
      for (const [t, label] of ticks(domain[0], domain[1], W - LEFT - RIGHT, labelWidth)) {
        axis.append(el("line", { x1: x(t), x2: x(t), y1: TOP, y2: H - AXIS + 4 }));
        const width = label.length === 4 ? labelWidth.year : labelWidth.month;
        if (x(t) + 2 < right + GAP) continue; // never overlap the previous label, whatever the step gave
        axis.append(el("text", { x: x(t) + 2, y: H - 8 }, label));
        right = x(t) + 2 + width;
      }
      svg.appendChild(axis);
      lanes.forEach((lane, i) => {
        const g = el("g", { class: "lane" });
        g.append(el("line", { x1: LEFT, x2: W - RIGHT, y1: TOP + LANE * i + LANE / 2, y2: TOP + LANE * i + LANE / 2, stroke: "#eef1f5" }));
        g.append(el("text", { x: 4, y: TOP + LANE * i + LANE / 2 + 4 }, lane.length > 22 ? lane.slice(0, 21) + "…" : lane));
        svg.appendChild(g);
      });
      const dots = el("g", { class: "dots" });
      points.forEach((p, i) => {
        const cx = x(times[i]);
        if (cx < LEFT - 2 || cx > W - RIGHT + 2) return;
        const lane = lanes.indexOf(laneOf(p));
        const c = el("circle", { cx: cx.toFixed(1), cy: TOP + LANE * lane + LANE / 2, r: Math.min(14, 3.5 + Math.sqrt(killed(p)) * 1.1).toFixed(1),
          fill: p.perpetrator_colour || colour.unknown, "data-event": p.id, "data-colour": p.perpetrator_colour || colour.unknown });
        c.appendChild(el("title", {}, `${p.date} · ${(p.attack_type || p.event_type).replace(/_/g, " ")} · ${p.place || "?"} · ${p.perpetrator || "unknown"} · killed ${p.killed ?? p.killed_low ?? "?"}`));
        c.addEventListener("click", () => { location.href = "/events/" + p.id; });
        dots.appendChild(c);
      });
      svg.appendChild(dots);
      box.dataset.visible = String(dots.childNodes.length);
    }

    function zoom(factor, centre) {
      const c = centre ?? (domain[0] + domain[1]) / 2;
      const span = Math.min(full[1] - full[0], Math.max(86400000 * 7, (domain[1] - domain[0]) * factor));
      let a = c - (c - domain[0]) * (span / (domain[1] - domain[0]));
      a = Math.max(full[0], Math.min(a, full[1] - span));
      domain = [a, a + span];
      render();
    }
    function timeAt(clientX) {
      const rect = svg.getBoundingClientRect();
      const vx = ((clientX - rect.left) / rect.width) * W;
      return domain[0] + ((vx - LEFT) / (W - LEFT - RIGHT)) * (domain[1] - domain[0]);
    }
    svg.addEventListener("wheel", (e) => { e.preventDefault(); zoom(e.deltaY > 0 ? 1.25 : 0.8, timeAt(e.clientX)); }, { passive: false });
    let drag = null;
    svg.addEventListener("pointerdown", (e) => { if (e.target.tagName !== "circle") drag = { x: e.clientX, domain: domain.slice() }; });
    window.addEventListener("pointerup", () => { drag = null; });
    svg.addEventListener("pointermove", (e) => {
      if (!drag) return;
      const rect = svg.getBoundingClientRect();
      const shift = ((e.clientX - drag.x) / rect.width) * W / (W - LEFT - RIGHT) * (drag.domain[1] - drag.domain[0]);
      const span = drag.domain[1] - drag.domain[0];
      const a = Math.max(full[0], Math.min(drag.domain[0] - shift, full[1] - span));
      domain = [a, a + span];
      render();
    });
    document.getElementById("tl-in").addEventListener("click", () => zoom(0.5));
    document.getElementById("tl-out").addEventListener("click", () => zoom(2));
    document.getElementById("tl-reset").addEventListener("click", () => { domain = full.slice(); render(); });
    const legend = document.getElementById("tl-legend");
    for (const l of lanes) {
      const sw = el("span", { class: "sw" + (colour[l] ? "" : " mixed"), "data-colour": colour[l] || "" });
      if (colour[l]) sw.style.background = colour[l];
      legend.append(sw, el("span", { "data-lane": l }, `${l} (${l === "other groups" ? "" : counts[l] || ""})`.replace(" ()", "")));
    }
    render();
  }
  main();
})();
