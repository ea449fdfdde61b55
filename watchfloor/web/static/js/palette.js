// Shared chart helpers. Actor colours come from the server (watchfloor/web/visuals.py, in the API's
// `colour` / `perpetrator_colour` fields), so an actor has the same colour on every page.
"use strict";
window.wfEl = function (tag, attrs, text) {
  const ns = ["svg", "g", "path", "circle", "line", "text", "rect", "title"].includes(tag) ? "http://www.w3.org/2000/svg" : null;
  const el = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
};
