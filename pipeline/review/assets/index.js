// The index's sorting, filters, search and keys (pipeline/review/index_page.py writes the page;
// without this script it shows every article). State lives in the address's #fragment, so a
// chart's link can open the index filtered, and the order shown is kept for the article pages'
// next/previous keys.
"use strict";
(function () {
  const table = document.getElementById("articles");
  const form = document.getElementById("filters");
  if (!table || !form) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const texts = JSON.parse(document.getElementById("search-text").textContent);
  const selects = Array.from(form.querySelectorAll("select[data-key]"));
  const query = document.getElementById("q");
  const from = document.getElementById("from");
  const to = document.getElementById("to");
  const warned = document.getElementById("warned");
  const shown = document.getElementById("shown");
  let current = null; // the row the keys have reached
  let sorted = null; // [column, direction]

  form.hidden = false;
  document.querySelectorAll(".keys").forEach((el) => { el.hidden = false; });

  // As index_page.fold: lower case, accents off, words of letters and digits.
  const fold = (text) => (text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "").match(/[\p{L}\p{N}]+/gu) || []);

  function visible() { return Array.from(body.rows).filter((row) => !row.hidden); }

  function apply() {
    const words = fold(query.value);
    let count = 0;
    for (const row of rows) {
      let keep = selects.every((s) => !s.value || (row.dataset[s.dataset.key] || "").includes("|" + s.value + "|"));
      const date = row.dataset.date || "";
      if (keep && from.value) keep = date !== "" && date >= from.value;
      if (keep && to.value) keep = date !== "" && date <= to.value;
      if (keep && warned.checked) keep = row.dataset.warned === "1";
      if (keep && words.length) {
        const text = " " + texts[Number(row.dataset.i)];
        keep = words.every((word) => text.includes(word));
      }
      if (row.hidden === keep) row.hidden = !keep; // untouched rows cost no layout
      if (keep) count += 1;
    }
    shown.value = count + " of " + rows.length + " articles";
    remember();
  }

  function state() {
    const params = new URLSearchParams();
    if (query.value) params.set("q", query.value);
    for (const s of selects) if (s.value) params.set(s.dataset.key, s.value);
    if (from.value) params.set("from", from.value);
    if (to.value) params.set("to", to.value);
    if (warned.checked) params.set("warned", "1");
    if (sorted) params.set("sort", sorted[0] + (sorted[1] < 0 ? "-" : ""));
    return params.toString();
  }

  function remember() {
    const hash = state();
    history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    try {
      const order = visible().map((row) => row.querySelector("a").getAttribute("href"));
      sessionStorage.setItem("review-order", JSON.stringify(order));
    } catch (error) { /* storage off: the article pages fall back to their own links */ }
  }

  function restore() {
    const params = new URLSearchParams(location.hash.slice(1));
    query.value = params.get("q") || "";
    for (const s of selects) {
      const wanted = params.get(s.dataset.key) || "";
      s.value = Array.from(s.options).some((o) => o.value === wanted) ? wanted : "";
    }
    from.value = params.get("from") || "";
    to.value = params.get("to") || "";
    warned.checked = params.get("warned") === "1";
    const sort = params.get("sort");
    if (sort) sortBy(Number(sort.replace("-", "")), sort.endsWith("-") ? -1 : 1);
    apply();
  }

  const heads = Array.from(table.tHead.rows[0].cells);
  function sortKey(row, column) {
    const cell = row.cells[column];
    const raw = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim().toLowerCase();
    return raw;
  }
  function sortBy(column, direction) {
    const numeric = heads[column].dataset.type === "num";
    const keyed = rows.map((row, index) => [sortKey(row, column), index, row]);
    keyed.sort((a, b) => {
      const [x, y] = [a[0], b[0]];
      if (x === "" && y !== "") return 1; // rows without a value go last either way
      if (y === "" && x !== "") return -1;
      const order = numeric ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0;
      return order * direction || a[1] - b[1];
    });
    const ordered = document.createDocumentFragment();
    for (const [, , row] of keyed) ordered.appendChild(row);
    body.appendChild(ordered);
    sorted = [column, direction];
    heads.forEach((head, index) => {
      head.setAttribute("aria-sort", index === column ? (direction > 0 ? "ascending" : "descending") : "none");
    });
  }
  heads.forEach((head, column) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = head.textContent;
    head.textContent = "";
    head.appendChild(button);
    button.addEventListener("click", () => {
      const direction = sorted && sorted[0] === column ? -sorted[1] : 1;
      sortBy(column, direction);
      remember();
    });
  });

  // Typing waits for a pause before filtering thousands of rows; choosing applies at once.
  let typing = 0;
  form.addEventListener("input", (event) => {
    clearTimeout(typing);
    if (event.target === query) typing = setTimeout(apply, 150); else apply();
  });
  form.addEventListener("change", (event) => { if (event.target !== query) apply(); });
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", () => setTimeout(apply, 0));
  window.addEventListener("hashchange", restore);

  function focusRow(step) {
    const list = visible();
    if (!list.length) return;
    const at = list.indexOf(current);
    const next = at < 0 ? 0 : Math.min(Math.max(at + step, 0), list.length - 1);
    if (current) current.classList.remove("current");
    current = list[next];
    current.classList.add("current");
    current.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const active = document.activeElement.tagName;
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(active)) {
      if (event.key === "Escape") document.activeElement.blur();
      return;
    }
    if (/^(A|BUTTON)$/.test(active) && event.key === "Enter") return; // the link or button acts itself
    if (event.key === "j") focusRow(1);
    else if (event.key === "k") focusRow(-1);
    else if ((event.key === "Enter" || event.key === "o") && current && !current.hidden) {
      current.querySelector("a").click();
    } else if (event.key === "/") {
      event.preventDefault();
      query.focus();
    } else return;
  });

  restore();
})();
