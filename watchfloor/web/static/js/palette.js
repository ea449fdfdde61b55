// Colours shared by the graph, the timeline and the map (colour-blind-friendly Okabe-Ito, then greys).
"use strict";
window.WF_PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8c564b", "#7f7f7f", "#bcbd22", "#17becf", "#9467bd"];
window.WF_KIND_COLOURS = { armed_group: "#D55E00", state: "#0072B2", person: "#009E73", military: "#56B4E9",
  international_org: "#CC79A7", organisation: "#E69F00", government_body: "#8c564b", security_service: "#9467bd",
  place: "#7f7f7f", political_party: "#bcbd22", media_outlet: "#17becf" };
window.wfEl = function (tag, attrs, text) {
  const ns = ["svg", "g", "path", "circle", "line", "text", "rect", "title"].includes(tag) ? "http://www.w3.org/2000/svg" : null;
  const el = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
};
