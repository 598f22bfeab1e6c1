// An article page's keys and verdict form (pipeline/review/report.py writes the page; without
// this script it shows everything but records nothing). Verdicts are sent to the local
// `python -m pipeline review --serve` when the page comes from it; opened from a file, the page
// builds the article's corrections file for the reviewer to save into corrections/.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("review-data").textContent);
  const rows = Array.from(document.querySelectorAll("tr.claim"));
  const served = location.protocol === "http:" || location.protocol === "https:";
  const tools = document.getElementById("review-tools");
  const form = document.getElementById("verdict");
  const status = document.getElementById("review-status");
  const save = document.getElementById("save");
  const entries = data.corrections.slice(); // this article's verdicts, the file's order
  let current = null;
  let judged = null;

  document.querySelectorAll(".keys").forEach((el) => { el.hidden = false; });
  tools.hidden = false;
  rows.forEach((row) => { row.querySelector("button.judge").hidden = false; });
  if (served) {
    document.getElementById("save-note").textContent = "each verdict is written as you record it.";
  }

  // --- keys -----------------------------------------------------------------------------------
  function claimAt(hash) {
    const id = hash.replace(/^#(claim|row)-/, "");
    return rows.find((row) => row.dataset.claim === id) || null;
  }
  function goClaim(step) {
    if (!rows.length) return;
    const at = rows.indexOf(current || claimAt(location.hash));
    const next = at < 0 ? (step > 0 ? 0 : rows.length - 1) : Math.min(Math.max(at + step, 0), rows.length - 1);
    if (current) current.classList.remove("current");
    current = rows[next];
    current.classList.add("current");
    location.hash = "#claim-" + current.dataset.claim;
  }
  function goArticle(step) {
    const here = location.pathname.split("/").pop();
    try {
      const order = JSON.parse(sessionStorage.getItem("review-order") || "null");
      if (Array.isArray(order)) {
        const at = order.findIndex((href) => href.split("/").pop() === here);
        if (at >= 0) {
          const target = order[at + step];
          if (target) location.href = "../" + target;
          return;
        }
      }
    } catch (error) { /* no stored order: the page's own links */ }
    const link = document.querySelector(step > 0 ? 'a[rel="next"]' : 'a[rel="prev"]');
    if (link) location.href = link.href;
  }
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (/^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(document.activeElement.tagName)) return;
    if (event.key === "j") goClaim(1);
    else if (event.key === "k") goClaim(-1);
    else if (event.key === "n") goArticle(1);
    else if (event.key === "p") goArticle(-1);
    else if (event.key === "u") location.href = "../index.html";
  });

  // --- verdicts -------------------------------------------------------------------------------
  const FIELDS = ["predicate", "count", "group", "actor", "cause", "place", "time"];
  function open(row) {
    judged = row;
    const claim = data.claims[row.dataset.claim];
    for (const name of FIELDS) form.elements[name].value = claim.form[name];
    form.elements.reason.value = "";
    for (const radio of form.querySelectorAll('input[name="verdict"]')) radio.checked = false;
    row.querySelector("td.review").appendChild(form);
    form.hidden = false;
    form.querySelector('input[name="verdict"]').focus();
  }
  rows.forEach((row) => row.querySelector("button.judge").addEventListener("click", () => open(row)));
  document.getElementById("cancel").addEventListener("click", () => { form.hidden = true; judged = null; });

  function entryFromForm() {
    const id = judged.dataset.claim;
    const claim = data.claims[id];
    const verdict = (form.querySelector('input[name="verdict"]:checked') || {}).value;
    if (!verdict) throw new Error("choose correct, wrong or corrected");
    const entry = { claim: id, verdict: verdict, quote: claim.quote, count_text: claim.count_text,
                    predicate: claim.predicate };
    if (verdict === "corrected") {
      const fields = {};
      for (const name of FIELDS) {
        const value = form.elements[name].value.trim();
        if (value !== claim.form[name]) fields[name] = value === "" || value === "none" ? null : value;
      }
      if (!Object.keys(fields).length) throw new Error("change at least one field, or choose correct");
      // The forms corrections.py reads (it checks again when the file is read).
      const number = "(\\d{1,3}(,\\d{3})+|\\d+)";
      const count = new RegExp("^(" + number + "|" + number + " ?[-–] ?" + number + "|" + number + "\\+|<=" + number + ")$");
      if ("count" in fields && !count.test(fields.count || "")) throw new Error("count: 12, 529-744, 12+ or <=50");
      const day = "\\d{4}-\\d{2}-\\d{2}";
      if (fields.time && !new RegExp("^" + day + "(/" + day + ")?$").test(fields.time)) {
        throw new Error("time: 2017-06-01 or 2017-06-01/2017-06-30");
      }
      entry.fields = fields;
    }
    const reason = form.elements.reason.value.trim();
    if (reason) entry.reason = reason;
    entry.was = claim.was;
    return entry;
  }
  function keep(entry) {
    const at = entries.findIndex((old) => old.claim === entry.claim);
    if (at >= 0) entries[at] = entry; else entries.push(entry);
  }
  function show(row, entry) {
    row.classList.remove("rv-correct", "rv-wrong", "rv-corrected");
    row.classList.add("rv-" + entry.verdict);
    const mark = row.querySelector("span.verdict");
    mark.className = "verdict v-" + entry.verdict;
    const fixed = entry.fields ? ": " + Object.entries(entry.fields).map(([k, v]) => k + " " + (v === null ? "none" : v)).join(", ") : "";
    mark.textContent = entry.verdict + fixed + " (recorded)";
  }
  // The file as YAML: JSON strings and mappings are YAML, so the loader reads what this writes.
  function yaml() {
    const lines = ["# Reviewers' verdicts on the claims of one article (README: Corrections), saved from the review page.",
                   "article: " + JSON.stringify(data.article), "corrections:"];
    for (const entry of entries) lines.push("- " + JSON.stringify(entry).replace(/[\u2028\u2029]/g, " "));
    return lines.join("\n") + "\n";
  }
  function offer() {
    save.href = "data:text/yaml;charset=utf-8," + encodeURIComponent(yaml());
    save.setAttribute("download", data.article.split("/").pop() + ".yaml");
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    let entry;
    try { entry = entryFromForm(); } catch (error) { status.value = error.message; return; }
    const row = judged;
    if (served) {
      try {
        const answer = await fetch("/api/verdict", { method: "POST", headers: { "Content-Type": "application/json" },
                                                     body: JSON.stringify({ article: data.article, entry: entry }) });
        const result = await answer.json();
        if (!answer.ok) { status.value = result.error || "not recorded"; return; }
        status.value = "written to " + result.file;
      } catch (error) { status.value = "not recorded: " + error.message; return; }
    } else {
      status.value = "recorded on this page: save the corrections file to keep it";
    }
    keep(entry);
    offer();
    show(row, entry);
    form.hidden = true;
    judged = null;
  });
  offer();
})();
