"use strict";
// Conflicts held by the MANUAL policy: stored vs incoming field by field, a person chooses with a note.
(() => {
  const $ = (id) => document.getElementById(id);
  let current = null;

  const parse = (text) => { try { return JSON.parse(text || "null"); } catch (e) { return null; } };
  const shown = (v) => (v === undefined ? "—" : JSON.stringify(v));

  /** Every field of either side, plus deleted; which differ. */
  function fields(c) {
    const stored = parse(c.stored) || {}, incoming = parse(c.incoming) || {};
    const a = stored.data || {}, b = incoming.data || {};
    const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    const rows = names.map((n) => ({ name: n, stored: a[n], incoming: b[n] }));
    rows.push({ name: "(deleted)", stored: !!stored.deleted, incoming: !!incoming.deleted });
    rows.push({ name: "(updated at)", stored: stored.updatedAt, incoming: incoming.updatedAt, meta: true });
    rows.forEach((r) => { r.differs = !r.meta && shown(r.stored) !== shown(r.incoming); });
    return rows;
  }

  async function load() {
    try {
      const open = await Ops.api("GET", "conflicts?status=OPEN&limit=200");
      $("open").querySelector("tbody").replaceChildren(...open.map((c) => {
        const row = Ops.el("tr", { "data-id": c.id, "data-record": c.record_id },
          Ops.el("td", {}, Ops.when(c.created_at)), Ops.el("td", {}, c.entity), Ops.el("td", {}, c.record_id),
          Ops.el("td", {}, c.terminal_id), Ops.el("td", {}, fields(c).filter((f) => f.differs).map((f) => f.name).join(", ")));
        row.addEventListener("click", () => show(c));
        return row;
      }));
      Ops.say("list-message", "info", open.length ? "" : "No conflict is waiting.");
      const done = await Ops.api("GET", "conflicts?status=RESOLVED&limit=50");
      $("resolved").querySelector("tbody").replaceChildren(...done.map((c) => Ops.el("tr", { "data-id": c.id },
        Ops.el("td", {}, Ops.when(c.resolved_at)), Ops.el("td", {}, c.entity), Ops.el("td", {}, c.record_id),
        Ops.el("td", {}, c.resolution), Ops.el("td", {}, c.resolved_by || ""), Ops.el("td", {}, c.note || ""))));
    } catch (e) {
      Ops.say("list-message", "error", e.message);
    }
  }

  function show(c) {
    current = c;
    $("detail").classList.remove("hidden");
    $("c-id").textContent = c.id;
    $("c-entity").textContent = c.entity;
    $("c-record").textContent = c.record_id;
    $("c-terminal").textContent = c.terminal_id;
    $("c-fields").querySelector("tbody").replaceChildren(...fields(c).map((f) => {
      const cells = [Ops.el("td", {}, f.name + (f.differs ? " ≠" : ""))];
      if (f.name.startsWith("(")) {
        cells.push(Ops.el("td", {}, shown(f.stored)), Ops.el("td", {}, shown(f.incoming)), Ops.el("td", {}));
      } else {
        const merge = Ops.el("input", { size: 30, "data-merge": f.name, value: f.stored === undefined ? "" : shown(f.stored) });
        const pick = (v) => {
          const td = Ops.el("td", { title: "use this value in the merge" }, shown(v));
          td.style.cursor = "pointer";
          td.addEventListener("click", () => { merge.value = v === undefined ? "" : shown(v); });
          return td;
        };
        cells.push(pick(f.stored), pick(f.incoming), Ops.el("td", {}, merge));
      }
      return Ops.el("tr", { class: f.differs ? "selected" : "", "data-field": f.name }, ...cells);
    }));
    $("c-note").value = "";
    Ops.say("c-message", "info", "");
    buttons();
  }

  function buttons() {
    const ready = !!current && $("c-note").value.trim().length > 0;
    $("c-stored").disabled = !ready;
    $("c-incoming").disabled = !ready;
    $("c-merged").disabled = !ready;
    Ops.refreshActs();
  }

  /** The merge column as the record's fields; each value's text is kept as typed (exact numbers). */
  function mergedBody(note) {
    const parts = [];
    for (const input of document.querySelectorAll("[data-merge]")) {
      const text = input.value.trim();
      if (!text) continue;
      try {
        JSON.parse(text);
      } catch (e) {
        throw new Error("The merge value of " + input.dataset.merge + " is not JSON (text goes in \"quotes\"): " + text);
      }
      parts.push(JSON.stringify(input.dataset.merge) + ":" + text);
    }
    return '{"choose":"MERGED","note":' + JSON.stringify(note) + ',"data":{' + parts.join(",") + "}}";
  }

  async function decide(choose) {
    const note = $("c-note").value.trim();
    if (!note) { Ops.say("c-message", "error", "Write a note: why this choice."); return; }
    try {
      const r = await Ops.api("POST", "conflicts/" + current.id + "/resolve",
        choose === "MERGED" ? mergedBody(note) : { choose, note });
      Ops.say("c-message", "ok", "Resolved: " + r.resolution + " by " + r.resolved_by + ".");
      current = null;
      buttons();
      load();
    } catch (e) {
      Ops.say("c-message", "error", e.message);
    }
  }

  $("c-note").addEventListener("input", buttons);
  $("c-stored").addEventListener("click", () => decide("STORED"));
  $("c-incoming").addEventListener("click", () => decide("INCOMING"));
  $("c-merged").addEventListener("click", () => decide("MERGED"));
  Ops.start("conflicts").then(load).catch((e) => Ops.say("list-message", "error", e.message));
})();
