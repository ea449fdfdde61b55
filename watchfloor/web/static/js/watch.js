// The Watch page: add and remove watched items, and remember this visit (the list's "last seen" mark), so
// that the next visit marks as new only what entered the store after it. Writes need the analyst token.
"use strict";
(function () {
  const { token, toast, call } = window.wfApi;  // app.js: the analyst token and the write API
  const state = document.getElementById("watch-state");
  const visit = document.getElementById("watch-visit");
  if (!state) return;

  let remembered = false;
  async function rememberVisit() {
    if (remembered || !token() || !state.dataset.upto) {
      if (!token() && state.dataset.upto) visit.textContent = "Enter the analyst token to remember this visit.";
      return;
    }
    try {
      const ids = state.dataset.ids ? state.dataset.ids.split(",") : [];
      await call("POST", "/api/watch/seen", { watchlist: state.dataset.watchlist, upto: state.dataset.upto, ids });
      remembered = true;
      visit.textContent = "Visit remembered: next time, new means after now.";
    } catch (err) {
      visit.textContent = "This visit was not remembered: " + err.message;
    }
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (form.id === "token-form") { setTimeout(rememberVisit, 0); return; }  // app.js stores the token first
    if (form.id !== "watch-add") return;
    event.preventDefault();
    const data = new FormData(form);
    const body = { watchlist: form.dataset.watchlist };
    body[data.get("kind") === "search" ? "search" : "name"] = String(data.get("value") || "").trim();
    try {
      await call("POST", "/api/watch", body);
      toast("Watching " + (body.search ? "“" + body.search + "”" : body.name) + "; reloading…");
      setTimeout(() => location.reload(), 300);
    } catch (err) {
      toast("Not added: " + err.message);
    }
  });

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-watch-remove]");
    if (!button) return;
    try {
      await call("DELETE", "/api/watch/" + encodeURIComponent(button.dataset.watchRemove));
      toast("No longer watched; reloading…");
      setTimeout(() => location.reload(), 300);
    } catch (err) {
      toast("Not removed: " + err.message);
    }
  });

  rememberVisit();
})();
