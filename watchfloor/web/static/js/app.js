// Shared page behaviour: the analyst token, correction buttons, document layer toggles.
// Data from the store is only ever inserted with textContent, never as HTML.
"use strict";
(function () {
  const KEY = "watchfloor-token";
  const token = () => sessionStorage.getItem(KEY) || "";

  function toast(message) {
    let box = document.getElementById("toast");
    if (!box) { box = document.createElement("div"); box.id = "toast"; box.setAttribute("role", "status"); document.body.appendChild(box); }
    box.textContent = message;
  }

  function refreshWriteState() {
    document.body.classList.toggle("can-write", token() !== "");
    const state = document.getElementById("token-state");
    if (state) state.textContent = token() ? "corrections enabled" : "";
  }

  async function call(method, url, body) {
    const response = await fetch(url, {
      method,
      headers: { "Authorization": "Bearer " + token(), "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error((data.error && data.error.message) || response.statusText);
    return data;
  }

  // For page scripts loaded after this one (watch.js): one token store, one way to call the write API.
  window.wfApi = { token, toast, call };

  const actions = {
    "add-alias": (el, form) => call("POST", `/api/entities/${el.dataset.entity}/aliases`, { alias: form.get("alias") }),
    "remove-alias": (el) => call("DELETE", `/api/entities/${el.dataset.entity}/aliases?alias=${encodeURIComponent(el.dataset.alias)}`),
    "merge": (el, form) => call("POST", `/api/entities/${el.dataset.entity}/merge`, { other: form.get("other") }),
    "split": (el, form) => call("POST", `/api/entities/${el.dataset.entity}/split`, {
      name: form.get("name"), aliases: String(form.get("aliases") || "").split(",").map((s) => s.trim()).filter(Boolean) }),
    "reject": (el) => call("POST", "/api/corrections/reject", { kind: el.dataset.kind, id: Number(el.dataset.id) }),
  };

  async function run(el, form) {
    try {
      await actions[el.dataset.action](el, form);
      toast("Saved as an analyst correction; reloading…");
      setTimeout(() => location.reload(), 400);
    } catch (err) {
      toast("Not saved: " + err.message);
    }
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.id === "token-form") {
      event.preventDefault();
      sessionStorage.setItem(KEY, document.getElementById("token").value.trim());
      refreshWriteState();
      return;
    }
    if (form.dataset && form.dataset.action in actions) { event.preventDefault(); run(form, new FormData(form)); }
  });
  document.addEventListener("click", (event) => {
    const el = event.target.closest("button[data-action]");
    if (el && el.dataset.action in actions && el.type === "button") {
      if (el.dataset.action === "reject" && !confirm("Mark this extraction as wrong? It will be hidden, and stay hidden after re-runs.")) return;
      run(el, null);
    }
  });

  const layers = document.getElementById("layers");
  if (layers) {
    layers.addEventListener("change", (event) => {
      document.getElementById("doctext").classList.toggle("hide-" + event.target.value, !event.target.checked);
    });
  }
  refreshWriteState();
})();
