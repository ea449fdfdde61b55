// The actor page's merge control: search other actors by name or alias (GET /api/entities?q=), pick the
// duplicate, and the form (handled by app.js with the analyst token) posts its id to /api/entities/{id}/merge.
// Data from the store is only ever inserted with textContent.
"use strict";
(function () {
  const form = document.getElementById("merge-form");
  if (!form) return;
  const input = document.getElementById("merge-q");
  const other = document.getElementById("merge-other");
  const list = document.getElementById("merge-suggestions");
  const choice = document.getElementById("merge-choice");
  const go = document.getElementById("merge-go");
  const self = form.dataset.entity;
  const target = form.dataset.name;
  let picked = null, timer = null, asked = "";

  function pick(entity) {
    picked = entity;
    other.value = entity ? String(entity.id) : "";
    go.disabled = !entity;
    choice.textContent = entity
      ? `Will merge “${entity.name}” (${entity.kind.replace(/_/g, " ")}, key ${entity.key}, ${entity.mentions} mentions) into ${target}.`
      : "Pick the duplicate from the suggestions.";
    if (entity) { input.value = entity.name; list.replaceChildren(); }
  }

  function option(entity) {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.entity = String(entity.id);
    const name = document.createElement("b");
    name.textContent = entity.name;
    const meta = document.createElement("small");
    meta.textContent = ` ${entity.kind.replace(/_/g, " ")} · ${entity.mentions} mentions · ${entity.key}`;
    button.append(name, meta);
    button.addEventListener("click", () => { pick(entity); go.focus(); });
    const li = document.createElement("li");
    li.appendChild(button);
    return li;
  }

  async function suggest() {
    const q = input.value.trim();
    asked = q;
    if (q.length < 2) { list.replaceChildren(); return; }
    const response = await fetch("/api/entities?" + new URLSearchParams({ q, limit: "30", sort: "-mentions" }));
    if (!response.ok || asked !== q) return; // a newer query is on its way
    // Any alias matches; names that start with, then contain, what was typed come first.
    const lower = q.toLowerCase();
    const rank = (e) => (e.name.toLowerCase().startsWith(lower) ? 0 : e.name.toLowerCase().includes(lower) ? 1 : 2);
    const items = ((await response.json()).items || []).filter((e) => String(e.id) !== self)
      .map((e, i) => [rank(e), i, e]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, , e]) => e).slice(0, 8);
    if (!items.length) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = `No other actor is called “${q}”.`;
      list.replaceChildren(li);
      return;
    }
    list.replaceChildren(...items.map(option));
  }

  input.addEventListener("input", () => {
    if (picked && input.value !== picked.name) pick(null);
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });
  input.addEventListener("keydown", (event) => {
    const first = list.querySelector("button");
    if (event.key === "ArrowDown" && first) { event.preventDefault(); first.focus(); }
    if (event.key === "Enter" && !picked) { event.preventDefault(); if (first && list.querySelectorAll("button").length === 1) first.click(); }
  });
  list.addEventListener("keydown", (event) => {
    const buttons = [...list.querySelectorAll("button")];
    const i = buttons.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && i < buttons.length - 1) { event.preventDefault(); buttons[i + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (i > 0 ? buttons[i - 1] : input).focus(); }
  });
  // Runs before app.js's document-level handler: nothing is sent without a picked actor and a confirmation.
  form.addEventListener("submit", (event) => {
    const ok = picked && confirm(`Merge “${picked.name}” into ${target}? Its aliases, mentions and facts move here; the merge is recorded as an analyst correction.`);
    if (!ok) { event.preventDefault(); event.stopPropagation(); }
  });
})();
