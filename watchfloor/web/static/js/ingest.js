// The "Add articles" page: choose or drop files, paste URLs, send them as one ingest job
// (POST /api/ingest/batch, with the analyst token), poll the job and list what became of each input.
// Everything from the server is inserted with textContent only.
"use strict";
(function () {
  const KEY = "watchfloor-token";
  const token = () => sessionStorage.getItem(KEY) || "";
  const form = document.getElementById("ingest-form");
  if (!form) return;
  const input = document.getElementById("ingest-files");
  const zone = document.getElementById("dropzone");
  const list = document.getElementById("ingest-chosen");
  const urls = document.getElementById("ingest-urls");
  const message = document.getElementById("ingest-message");
  const submit = document.getElementById("ingest-submit");
  const section = document.getElementById("ingest-job");
  const state = document.getElementById("job-state");
  const bar = document.getElementById("job-progress");
  const wrap = document.getElementById("job-results-wrap");
  const rows = document.querySelector("#job-results tbody");
  const MB = 1000 * 1000;
  const maxMb = Number(form.dataset.maxMb);
  const batchMb = Number(form.dataset.batchMb);
  const LABELS = { analysed: "analysed", duplicate: "duplicate", not_english: "not English", no_text: "no text",
    already_stored: "already stored", problem: "problem" };
  const PLURAL = { duplicate: "duplicates", problem: "problems" };
  let chosen = [];

  const el = (tag, text, cls) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  };
  const size = (bytes) => bytes === 0 ? "empty" : bytes >= MB ? (bytes / MB).toFixed(1) + " MB"
    : Math.max(1, Math.round(bytes / 1000)) + " kB";

  function showChosen() {
    list.replaceChildren();
    chosen.forEach((file, i) => {
      const li = el("li");
      li.dataset.file = file.name;
      li.append(el("span", file.name), " ", el("small", size(file.size), "muted"));
      if (file.size > maxMb * MB) li.append(" ", el("small", `above the ${maxMb} MB limit: it will be refused`, "error"));
      const remove = el("button", "×", "x");
      remove.type = "button";
      remove.title = "do not add " + file.name;
      remove.addEventListener("click", () => { chosen.splice(i, 1); showChosen(); });
      li.append(" ", remove);
      list.append(li);
    });
  }

  function add(files) {
    for (const file of files) {
      if (!chosen.some((f) => f.name === file.name && f.size === file.size)) chosen.push(file);
    }
    showChosen();
  }

  input.addEventListener("change", () => { add(input.files); input.value = ""; });
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    if (event.dataTransfer) add(event.dataTransfer.files);
  });

  async function api(method, url, body) {
    const response = await fetch(url, { method, headers: { "Authorization": "Bearer " + token() }, body });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error((data.error && data.error.message) || response.statusText);
    return data;
  }

  function describe(job) {
    if (job.status === "queued") return "Waiting for an earlier ingest to finish…";
    if (job.status === "running") {
      if (!job.done) return "Loading the language model and reading the inputs…";
      return `${job.done} of ${Math.max(job.done, job.total || 0)} inputs done…`;
    }
    if (job.status === "failed") return "The job failed: " + (job.error || "unknown error");
    const counts = {};
    for (const r of job.results) counts[r.outcome] = (counts[r.outcome] || 0) + 1;
    const label = (k) => counts[k] > 1 && PLURAL[k] ? PLURAL[k] : LABELS[k];
    const parts = Object.keys(LABELS).filter((k) => counts[k]).map((k) => `${counts[k]} ${label(k)}`);
    return "Done: " + (parts.join(", ") || "nothing to ingest") + ".";
  }

  function showResults(results) {
    rows.replaceChildren();
    for (const r of results) {
      const tr = el("tr");
      tr.dataset.outcome = r.outcome;
      tr.dataset.input = r.input;
      const what = el("td");
      if (r.document) {
        const link = el("a", r.title || r.document);
        link.href = "/documents/" + encodeURIComponent(r.document);
        what.append(link);
        if (r.message) what.append(" ", el("small", r.message, "muted"));
      } else {
        what.append(el("span", r.message || "", r.outcome === "problem" ? "contra" : ""));
      }
      tr.append(el("td", r.input), el("td", LABELS[r.outcome] || r.outcome, "outcome o-" + r.outcome), what);
      rows.append(tr);
    }
    wrap.hidden = results.length === 0;
  }

  function show(job) {
    section.hidden = false;
    section.dataset.status = job.status;
    document.getElementById("job-id").textContent = job.id;
    state.textContent = describe(job);
    bar.max = Math.max(1, job.done, job.total || 0);
    bar.value = job.status === "done" ? bar.max : job.done;
    if (job.status === "done" || job.status === "failed") showResults(job.results || []);
  }

  async function follow(id) {
    for (;;) {
      let job;
      try {
        job = await api("GET", "/api/jobs/" + encodeURIComponent(id));
      } catch (err) {
        state.textContent = "Cannot follow the job: " + err.message;
        return;
      }
      show(job);
      if (job.status === "done" || job.status === "failed") return;
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = urls.value.trim();
    if (!chosen.length && !text) { message.textContent = "Choose files or paste URLs first."; return; }
    const total = chosen.reduce((sum, f) => sum + f.size, 0);
    if (total > batchMb * MB) {
      message.textContent = `These files are ${size(total)} in all; one upload holds at most ${batchMb} MB: add fewer at once.`;
      return;
    }
    const body = new FormData();
    for (const file of chosen) body.append("files", file, file.name);
    if (text) body.append("urls", text);
    submit.disabled = true;
    message.textContent = "Sending…";
    try {
      const job = await api("POST", "/api/ingest/batch", body);
      message.textContent = "";
      chosen = [];
      urls.value = "";
      showChosen();
      show(job);
      await follow(job.id);
    } catch (err) {
      message.textContent = "Not added: " + err.message;
    } finally {
      submit.disabled = false;
    }
  });
})();
