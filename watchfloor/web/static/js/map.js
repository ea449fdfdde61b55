// Offline map: bundled Natural Earth country outlines (TopoJSON), events as circles; wheel/drag to zoom and pan.
"use strict";
(function () {
  const box = document.getElementById("map");
  const panel = document.getElementById("map-panel");
  const el = window.wfEl;
  const W = 1000, H = 500;
  const px = (lon) => ((lon + 180) / 360) * W;
  const py = (lat) => ((90 - lat) / 180) * H;

  function ringPath(ring) {
    // A ring that crosses the antimeridian would draw a line across the whole map: lift the pen there.
    return ring.map(([lon, lat], i) => {
      const jump = i && Math.abs(lon - ring[i - 1][0]) > 180;
      return (i && !jump ? "L" : "M") + px(lon).toFixed(2) + " " + py(lat).toFixed(2);
    }).join("") + "Z";
  }
  function featurePath(geometry) {
    if (!geometry) return "";
    const polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    return polys.map((poly) => poly.map(ringPath).join("")).join("");
  }

  // Centre of the bounding box of a country's largest polygon (so France is not placed in the Atlantic).
  function countryCentre(geometry) {
    const polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    let best = null, bestArea = -1;
    for (const poly of polys) {
      const ring = poly[0];
      let area = 0;
      for (let i = 0; i < ring.length; i++) { const [x1, y1] = ring[i], [x2, y2] = ring[(i + 1) % ring.length]; area += x1 * y2 - x2 * y1; }
      if (Math.abs(area) > bestArea) { bestArea = Math.abs(area); best = ring; }
    }
    const lons = best.map((p) => p[0]), lats = best.map((p) => p[1]);
    return [(Math.min(...lons) + Math.max(...lons)) / 2, (Math.min(...lats) + Math.max(...lats)) / 2];
  }

  async function main() {
    const [worldResponse, eventsResponse] = await Promise.all([fetch("/static/vendor/countries-50m.json"), fetch(box.dataset.src)]);
    const world = await worldResponse.json();
    const data = await eventsResponse.json();
    const countries = window.topojson.feature(world, world.objects.countries).features;
    const centres = {};
    for (const c of countries) if (c.geometry && c.id) centres[String(Number(c.id))] = countryCentre(c.geometry);
    const points = [];
    for (const p of data.items || []) {
      if (p.latitude !== null && p.longitude !== null) points.push({ ...p, approximate: false });
      else if (p.country_numeric && centres[String(Number(p.country_numeric))]) {
        const [lon, lat] = centres[String(Number(p.country_numeric))];
        points.push({ ...p, longitude: lon, latitude: lat, approximate: true });
      }
    }
    const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, "aria-label": `${points.length} events on a world map` });
    svg.appendChild(el("rect", { class: "sea", x: -W, y: -H, width: 3 * W, height: 3 * H }));
    const land = el("g");
    for (const c of countries) {
      const path = el("path", { class: "land", d: featurePath(c.geometry) });
      path.appendChild(el("title", {}, (c.properties && c.properties.name) || ""));
      land.appendChild(path);
    }
    svg.appendChild(land);
    // One colour per perpetrator, the same on every page (the server picks it); the legend lists the busiest.
    const UNKNOWN = "#9e9e9e";
    const fill = (p) => p.perpetrator_colour || UNKNOWN;
    const counts = new Map();
    for (const p of points) {
      const k = p.perpetrator || "unknown";
      counts.set(k, { n: (counts.get(k)?.n || 0) + 1, colour: fill(p) });
    }
    const legend = document.getElementById("map-legend");
    if (legend) {
      const busiest = [...counts.entries()].sort((a, b) => b[1].n - a[1].n);
      for (const [name, { n, colour }] of busiest.slice(0, 10)) {
        const sw = el("span", { class: "sw", "data-colour": colour }); sw.style.background = colour;
        legend.append(sw, el("span", { "data-perpetrator": name }, `${name} (${n})`));
      }
      if (busiest.length > 10) legend.append(el("span", { class: "muted" }, ` and ${busiest.length - 10} more`));
    }
    const dots = el("g");
    const circles = points.map((p) => {
      const c = el("circle", { cx: px(p.longitude).toFixed(2), cy: py(p.latitude).toFixed(2), fill: fill(p),
        "data-event": p.id, "data-colour": fill(p), class: p.approximate ? "approx" : "exact" });
      const where = p.approximate ? `${p.place || "?"} (placed at the centre of ${p.country})` : p.place || "?";
      c.appendChild(el("title", {}, `${p.date} · ${(p.attack_type || p.event_type).replace(/_/g, " ")} · ${where} · ${p.perpetrator || "unknown"} · killed ${p.killed ?? p.killed_low ?? "?"}`));
      if (p.approximate) c.style.stroke = fill(p);
      c.addEventListener("click", () => showEvent(p));
      dots.appendChild(c);
      return [c, p];
    });
    svg.appendChild(dots);
    box.replaceChildren(svg);
    box.dataset.points = String(points.length);
    box.dataset.approximate = String(points.filter((p) => p.approximate).length);
    const note = document.getElementById("map-note");
    if (note) note.textContent = `${points.length - Number(box.dataset.approximate)} events at their town, ${box.dataset.approximate} at their country's centre (hollow), ${(data.items || []).length - points.length} without a location.`;
    box.dataset.countries = String(countries.length);

    let view = { x: 0, y: 0, w: W, h: H };
    function apply() {
      svg.setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.h}`);
      const scale = view.w / W;
      for (const [c, p] of circles) {
        const k = p.killed ?? p.killed_low ?? 0;
        c.setAttribute("r", ((3 + Math.min(12, Math.sqrt(k) * 1.2)) * scale).toFixed(3));
        c.style.strokeWidth = String((p.approximate ? 1.5 : 0.6) * scale);
      }
      land.style.strokeWidth = String(0.4 * scale);
    }
    function fit() {
      if (!points.length) { view = { x: 0, y: 0, w: W, h: H }; apply(); return; }
      const xs = points.map((p) => px(p.longitude)), ys = points.map((p) => py(p.latitude));
      let [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      const w = Math.max(40, (x1 - x0) * 1.3), h = Math.max(20, (y1 - y0) * 1.3);
      const vw = Math.max(w, h * 2), vh = vw / 2;
      view = { x: (x0 + x1) / 2 - vw / 2, y: (y0 + y1) / 2 - vh / 2, w: vw, h: vh };
      apply();
    }
    function zoom(f, cx, cy) {
      const w = Math.min(W * 1.5, Math.max(8, view.w * f));
      const h = w / 2;
      const ox = cx ?? view.x + view.w / 2, oy = cy ?? view.y + view.h / 2;
      view = { x: ox - ((ox - view.x) * w) / view.w, y: oy - ((oy - view.y) * h) / view.h, w, h };
      apply();
    }
    function toMap(e) {
      const r = svg.getBoundingClientRect();
      return [view.x + ((e.clientX - r.left) / r.width) * view.w, view.y + ((e.clientY - r.top) / r.height) * view.h];
    }
    svg.addEventListener("wheel", (e) => { e.preventDefault(); const [x, y] = toMap(e); zoom(e.deltaY > 0 ? 1.25 : 0.8, x, y); }, { passive: false });
    let drag = null;
    svg.addEventListener("pointerdown", (e) => { if (e.target.tagName !== "circle") drag = { x: e.clientX, y: e.clientY, view: { ...view } }; });
    window.addEventListener("pointerup", () => { drag = null; });
    svg.addEventListener("pointermove", (e) => {
      if (!drag) return;
      const r = svg.getBoundingClientRect();
      view = { ...drag.view, x: drag.view.x - ((e.clientX - drag.x) / r.width) * drag.view.w, y: drag.view.y - ((e.clientY - drag.y) / r.height) * drag.view.h };
      apply();
    });
    document.getElementById("map-in").addEventListener("click", () => zoom(0.5));
    document.getElementById("map-out").addEventListener("click", () => zoom(2));
    document.getElementById("map-fit").addEventListener("click", fit);
    fit();
  }

  function showEvent(p) {
    const link = el("a", { href: "/events/" + p.id }, "Open the event and its sources →");
    panel.replaceChildren(
      el("h3", {}, `${(p.attack_type || p.event_type).replace(/_/g, " ")} in ${p.place || "?"}`),
      el("p", {}, p.approximate ? `Location: ${p.place || "unknown place"}, ${p.country} (town not resolved; shown at the country's centre)` : `Location: ${p.place}`),
      el("p", {}, `${p.date} · perpetrator ${p.perpetrator || "unknown"} (${p.perpetrator_status}) · killed ${p.killed ?? p.killed_low ?? "?"} · ${p.n_sources} source(s)`),
      link);
  }
  main();
})();
