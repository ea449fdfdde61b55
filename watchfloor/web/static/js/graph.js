// The actor network: /api/graph drawn with Cytoscape; click an edge for its evidence sentences.
"use strict";
(function () {
  const box = document.getElementById("graph");
  const panel = document.getElementById("graph-panel");
  const el = window.wfEl;
  const PREDICATE_COLOURS = { hostile_to: "#c0392b", attacks: "#e74c3c", allied_with: "#27ae60", supports: "#2ecc71",
    hosts: "#16a085", member_of: "#2980b9", leads: "#34495e", deputy_of: "#5d6d7e", founded: "#8e44ad",
    negotiates_with: "#f39c12", sanctions: "#d35400", operates_in: "#95a5a6", located_in: "#95a5a6" };

  // Colour says who (the same colour as on every other page, from the server); shape says what kind.
  const SHAPES = { armed_group: ["ellipse", "●"], state: ["round-rectangle", "■"], person: ["diamond", "◆"],
    military: ["triangle", "▲"], security_service: ["vee", "▼"], government_body: ["pentagon", "⬟"],
    international_org: ["hexagon", "⬢"], organisation: ["barrel", "▮"], political_party: ["rhomboid", "▰"],
    media_outlet: ["star", "★"], place: ["octagon", "⯃"] };
  const shapeOf = (kind) => (SHAPES[kind] || ["ellipse", "●"])[0];
  // Labels: on screen, from LABEL_MIN px for a node with one link to LABEL_MAX px for the best-connected hub at
  // the zoom the layout fits; they grow and shrink more slowly than the zoom, and a label that would be drawn
  // smaller than READABLE px is hidden (Cytoscape's min-zoomed-font-size) instead of shown as a smudge.
  const LABEL_MIN = 9, LABEL_MAX = 16, READABLE = 10;

  function show(...children) { panel.replaceChildren(...children); }

  async function edgeEvidence(edge) {
    const d = edge.data();
    show(el("p", {}, "Loading evidence…"));
    const params = new URLSearchParams({ actor: d.source, predicate: d.predicate, limit: "100", sources: "50" });
    for (const key of ["since", "until"]) { const v = new URLSearchParams(location.search).get(key); if (v) params.set(key, v); }
    const response = await fetch("/api/relations?" + params);
    const page = await response.json();
    const row = (page.items || []).find((r) => String(r.subject_entity_id) === d.source && String(r.object_entity_id) === d.target);
    const head = el("h3", {}, `${d.sourceName} ${d.negatedOnly ? "NOT " : ""}${d.predicate.replace(/_/g, " ")} ${d.targetName}`);
    const meta = el("p", { class: "muted" }, `${d.n_sources} source(s), ${d.first_seen || "?"} – ${d.last_seen || "?"}${d.contradicted ? " · sources contradict each other" : ""}`);
    const list = el("ol", { class: "sources" });
    for (const s of row ? row.sources : []) {
      const li = el("li");
      if (s.negated) li.appendChild(el("b", { class: "contra" }, "denies: "));
      if (s.hedged) li.appendChild(el("i", {}, "hedged: "));
      li.appendChild(el("span", {}, "“" + s.text.replace(/^["“”„«»'‘’\s]+|["“”„«»'‘’\s]+$/g, "") + "” "));
      li.appendChild(el("a", { href: `/documents/${encodeURIComponent(s.doc_id)}?hl=${s.start}-${s.end}#hl`, class: "evidence" }, s.title || s.doc_id));
      list.appendChild(li);
    }
    show(head, meta, list);
  }

  function nodeInfo(node) {
    const d = node.data();
    show(el("h3", {}, d.label), el("p", { class: "muted" }, `${d.kind.replace(/_/g, " ")} · ${d.mentions} mentions · ${node.degree()} links`),
      el("p", {}, ""), el("a", { href: `/actors/${d.id}` }, "Open the actor page →"));
  }

  async function draw() {
    const response = await fetch("/api/graph" + location.search);
    const data = await response.json();
    if (!response.ok) { show(el("p", { class: "error" }, data.error ? data.error.message : "cannot load the graph")); return; }
    if (!data.edges.length) { show(el("p", { class: "muted" }, "No relation matches these filters.")); }
    const maxMentions = Math.max(1, ...data.nodes.map((n) => n.mentions));
    const elements = data.nodes.map((n) => ({ data: { id: String(n.id), label: n.name, kind: n.kind, mentions: n.mentions,
      size: 14 + 36 * Math.sqrt(n.mentions / maxMentions), colour: n.colour || "#9e9e9e", shape: shapeOf(n.kind), fontSize: 12, z: 0 } }));
    const names = Object.fromEntries(data.nodes.map((n) => [String(n.id), n.name]));
    data.edges.forEach((e, i) => elements.push({ data: { id: "e" + i, source: String(e.source), target: String(e.target),
      predicate: e.predicate, n_sources: e.n_sources, first_seen: e.first_seen, last_seen: e.last_seen, contradicted: e.contradicted,
      negatedOnly: e.n_asserted === 0, sourceName: names[String(e.source)], targetName: names[String(e.target)],
      width: 1 + Math.min(6, e.n_sources), colour: PREDICATE_COLOURS[e.predicate] || "#888", label: e.predicate.replace(/_/g, " ") } }));
    const cy = window.cytoscape({
      container: box, elements,
      style: [
        { selector: "node", style: { "background-color": "data(colour)", shape: "data(shape)", label: "data(label)", width: "data(size)",
          height: "data(size)", "font-size": "data(fontSize)", "min-zoomed-font-size": READABLE, color: "#1d2733", "z-index": "data(z)",
          "text-valign": "bottom", "text-margin-y": 3, "text-background-color": "#fff", "text-background-opacity": 0.8,
          "text-background-padding": 1, "text-background-shape": "round-rectangle" } },
        { selector: "edge", style: { width: "data(width)", "line-color": "data(colour)", "target-arrow-color": "data(colour)",
          "target-arrow-shape": "triangle", "curve-style": "bezier", label: "data(label)", "font-size": 9, color: "#555",
          "min-zoomed-font-size": READABLE,
          "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.8 } },
        { selector: "node.unlabelled", style: { label: "" } },
        { selector: "edge[?contradicted]", style: { "line-style": "dashed" } },
        { selector: ":selected", style: { "overlay-opacity": 0.2, "overlay-color": "#000" } },
      ],
      layout: { name: "preset" },
    });
    let fitted = 1, pending = false;
    const maxDegree = Math.max(1, ...cy.nodes().map((n) => n.degree()));
    function sizeLabels() {
      pending = false;
      const growth = Math.sqrt(cy.zoom() / fitted);
      cy.batch(() => cy.nodes().forEach((n) => {
        const px = (LABEL_MIN + (LABEL_MAX - LABEL_MIN) * (n.degree() / maxDegree)) * growth;
        n.data("fontSize", px / cy.zoom());
        n.data("z", n.degree()); // a hub's label is drawn over its neighbours' 
        n.toggleClass("unlabelled", px < READABLE); // min-zoomed-font-size alone rounds the zoom to a power of 2
      }));
    }
    const layout = cy.layout({ name: "cose", animate: false, nodeRepulsion: 200000, idealEdgeLength: 90, nodeOverlap: 20,
      componentSpacing: 30, gravity: 0.5, randomize: false });
    layout.one("layoutstop", () => { fitted = cy.zoom(); sizeLabels(); });
    layout.run();
    fitted = cy.zoom();
    sizeLabels();
    cy.on("zoom", () => { if (!pending) { pending = true; requestAnimationFrame(sizeLabels); } });
    cy.on("tap", "edge", (evt) => edgeEvidence(evt.target));
    cy.on("tap", "node", (evt) => nodeInfo(evt.target));
    cy.on("dbltap", "node", (evt) => { location.href = "/actors/" + evt.target.id(); });
    window.wfGraph = cy;
    box.dataset.nodes = String(data.nodes.length);
    box.dataset.edges = String(data.edges.length);
    const legend = document.getElementById("graph-legend");
    const kinds = [...new Set(data.nodes.map((n) => n.kind))].sort();
    legend.replaceChildren(el("span", {}, `${data.nodes.length} actors, ${data.edges.length} relations. Colour: the actor (as on every page); shape: `));
    for (const k of kinds) {
      legend.append(el("span", { class: "shape", "aria-hidden": "true" }, (SHAPES[k] || ["", "●"])[1]), el("span", {}, k.replace(/_/g, " ")));
    }
  }
  draw();
})();
