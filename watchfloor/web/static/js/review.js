// The review page: accept, reject and fix buttons post to /api/review/ITEM/ACTION with the analyst token
// (kept by app.js in sessionStorage); the page reloads when the action is recorded.
"use strict";
(function () {
  const KEY = "watchfloor-token";
  const status = document.getElementById("review-status");
  const say = (message) => { if (status) status.textContent = message; };

  async function post(item, action, body) {
    const response = await fetch(`/api/review/${encodeURIComponent(item)}/${action}`, {
      method: "POST",
      headers: { "Authorization": "Bearer " + (sessionStorage.getItem(KEY) || ""), "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error((data.error && data.error.message) || response.statusText);
    return data;
  }

  async function act(el, action, body) {
    const li = el.closest("[data-item]");
    const controls = li.querySelectorAll("button, input, select");
    controls.forEach((c) => { c.disabled = true; });
    li.setAttribute("aria-busy", "true");
    say(action === "fix" && li.dataset.target === "document"
      ? "Setting the date and re-analysing the document…" : "Saving…");
    try {
      const data = await post(li.dataset.item, action, body);
      say(`${data.item}: ${data.decision}. ${data.open} open; reloading…`);
      location.reload();
    } catch (err) {
      say("Not saved: " + err.message);
      controls.forEach((c) => { c.disabled = false; });
      li.removeAttribute("aria-busy");
    }
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-review]");
    if (!button || button.type !== "button") return;
    if (button.dataset.review === "reject"
        && !confirm("Mark this extraction as wrong? It will be hidden, and stay hidden after re-runs.")) return;
    act(button, button.dataset.review, {});
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.dataset || form.dataset.review !== "fix") return;
    event.preventDefault();
    const body = {};
    for (const [name, value] of new FormData(form)) {
      const text = String(value).trim();
      if (text !== "") body[name] = ["killed", "wounded"].includes(name) ? Number(text) : text;
    }
    if (form.querySelector("select[name=keep]")) body.keep = String(body.keep);
    act(form, "fix", body);
  });
})();
