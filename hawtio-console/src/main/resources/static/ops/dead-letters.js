"use strict";
// Dead letters: list (the API's filters and paging), detail, edit + check + replay, discard, audit.
(() => {
  const $ = (id) => document.getElementById(id);
  const state = { offset: 0, total: 0, items: [], selected: new Set(), current: null, original: "" };

  function instant(local) {
    return local ? new Date(local).toISOString() : "";
  }

  function query() {
    const q = new URLSearchParams();
    [["reason", $("f-reason").value], ["terminal", $("f-terminal").value.trim()],
     ["type", $("f-type").value.trim()], ["from", instant($("f-from").value)],
     ["to", instant($("f-to").value)]].forEach(([k, v]) => v && q.set(k, v));
    q.set("offset", state.offset);
    q.set("limit", $("f-limit").value);
    return q;
  }

  async function load() {
    try {
      const page = await Ops.api("GET", "dead-letters?" + query());
      state.total = page.total;
      state.items = page.items;
      state.selected.clear();
      render(page);
      Ops.say("list-message", "info", page.total === 0 ? "No dead letters match." : "");
    } catch (e) {
      Ops.say("list-message", "error", e.message);
    }
    loadAudit();
  }

  function render(page) {
    const body = $("dead-letters").querySelector("tbody");
    body.replaceChildren(...page.items.map((d) => {
      const box = Ops.el("input", { type: "checkbox", "data-select": d.id });
      box.addEventListener("click", (ev) => {
        ev.stopPropagation();
        box.checked ? state.selected.add(d.id) : state.selected.delete(d.id);
        buttons();
      });
      const row = Ops.el("tr", { "data-id": d.id, "data-operation": d.operationId },
        Ops.el("td", {}, box), Ops.el("td", {}, Ops.when(d.failedAt || d.deadLetteredAt)),
        Ops.el("td", {}, d.reason), Ops.el("td", {}, d.terminalId || ""), Ops.el("td", {}, d.type || ""),
        Ops.el("td", {}, d.operationId || ""), Ops.el("td", {}, d.replayCount ?? 0),
        Ops.el("td", { class: "detail", title: d.detail || "" }, d.detail || ""));
      row.addEventListener("click", () => show(d.id));
      if (state.current && state.current.id === d.id) row.classList.add("selected");
      return row;
    }));
    const last = Math.min(page.offset + page.items.length, page.total);
    $("paging").textContent = page.total ? `${page.offset + 1}–${last} of ${page.total}` : "0 of 0";
    $("prev").disabled = page.offset === 0;
    $("next").disabled = last >= page.total;
    $("select-all").checked = false;
    buttons();
  }

  function buttons() {
    $("replay-selected").disabled = state.selected.size === 0;
    $("replay-selected").textContent = "Replay selected (" + state.selected.size + ")";
    $("replay-reason").disabled = !$("f-reason").value;
    $("replay-reason").textContent = $("f-reason").value
      ? "Replay all " + $("f-reason").value : "Replay all of a reason (choose one)";
    $("d-discard").disabled = !$("d-discard-reason").value.trim();
    Ops.refreshActs();
  }

  async function show(id) {
    try {
      const d = await Ops.api("GET", "dead-letters/" + encodeURIComponent(id));
      state.current = d;
      state.original = d.body || "";
      $("detail").classList.remove("hidden");
      $("d-id").textContent = d.id;
      const fields = [["Reason", d.reason], ["Detail", d.detail], ["Terminal", d.terminalId],
        ["Type", d.type], ["Operation", d.operationId], ["Original address", d.originalAddress],
        ["Source", d.source], ["Failed at", Ops.when(d.failedAt)], ["First failed at", Ops.when(d.firstFailedAt)],
        ["Deliveries", d.deliveryCount], ["Replays", d.replayCount]];
      $("d-fields").replaceChildren(...fields.flatMap(([k, v]) =>
        [Ops.el("dt", {}, k), Ops.el("dd", { "data-field": k }, v ?? "")]));
      $("d-body").value = state.original;
      $("d-discard-reason").value = "";
      Ops.say("d-message", "info", "");
      document.querySelectorAll("#dead-letters tbody tr").forEach((r) =>
        r.classList.toggle("selected", r.dataset.id === d.id));
      buttons();
      history(d.operationId);
    } catch (e) {
      Ops.say("list-message", "error", e.message);
    }
  }

  async function history(operationId) {
    const body = $("d-history").querySelector("tbody");
    if (!operationId) { body.replaceChildren(); return; }
    try {
      const rows = await Ops.api("GET", "dead-letters/audit?limit=100&operationId=" + encodeURIComponent(operationId));
      body.replaceChildren(...rows.map((a) => Ops.el("tr", {},
        Ops.el("td", {}, Ops.when(a.at)), Ops.el("td", {}, a.actor), Ops.el("td", {}, a.action),
        Ops.el("td", {}, a.outcome || ""), Ops.el("td", {}, (a.old_reason || "") + " → " + (a.new_reason || "")),
        Ops.el("td", {}, a.detail || ""))));
      if (rows.length === 0) body.append(Ops.el("tr", {}, Ops.el("td", { colSpan: 6, class: "muted" }, "no action yet")));
    } catch (e) {
      body.replaceChildren(Ops.el("tr", {}, Ops.el("td", { colSpan: 6 }, e.message)));
    }
  }

  async function loadAudit() {
    try {
      const rows = await Ops.api("GET", "dead-letters/audit?limit=50");
      $("audit").querySelector("tbody").replaceChildren(...rows.map((a) => Ops.el("tr", {},
        Ops.el("td", {}, Ops.when(a.at)), Ops.el("td", {}, a.actor), Ops.el("td", {}, a.action),
        Ops.el("td", {}, a.operation_id || ""), Ops.el("td", {}, a.terminal_id || ""),
        Ops.el("td", {}, a.outcome || ""), Ops.el("td", {}, (a.old_reason || "") + " → " + (a.new_reason || "")))));
    } catch (e) {
      $("audit").querySelector("tbody").replaceChildren(Ops.el("tr", {}, Ops.el("td", { colSpan: 7 }, e.message)));
    }
  }

  /** Parses locally (names the position), then the contract's schema through the console. */
  async function check() {
    const text = $("d-body").value;
    try {
      JSON.parse(text);
    } catch (e) {
      Ops.say("d-message", "error", "Not valid JSON: " + e.message);
      return false;
    }
    try {
      const r = await Ops.call("POST", "/ops/check/envelope", text);
      if (r.valid) {
        Ops.say("d-message", "ok", "Valid: the operation matches the contract's schema.");
        return true;
      }
      Ops.say("d-message", "error", "Does not match the contract's schema (" + r.reason + "):\n" +
        r.violations.map((v) => (v.pointer || "/") + ": " + v.message).join("\n"));
    } catch (e) {
      Ops.say("d-message", "error", e.message);
    }
    return false;
  }

  function outcomeText(o) {
    return o.outcome + (o.reason ? " (" + o.reason + ")" : "") + (o.detail ? ": " + o.detail : "") +
      (o.newId ? "\nIt failed again and is a new dead letter " + o.newId + "." : "");
  }

  async function replay() {
    const d = state.current;
    const text = $("d-body").value;
    const edited = text !== state.original;
    if (edited && !(await check())) return;
    try {
      const o = await Ops.api("POST", "dead-letters/" + encodeURIComponent(d.id) + "/replay",
        edited ? { body: text } : null);
      const ok = o.outcome === "ACCEPTED" || o.outcome === "DUPLICATE" || o.outcome === "FLAGGED";
      Ops.say("d-message", ok ? "ok" : "error", "Replayed: " + outcomeText(o));
      $("d-replay").disabled = true;
      await load();
      history(d.operationId);
    } catch (e) {
      Ops.say("d-message", "error", e.message);
    }
  }

  async function discard() {
    const d = state.current;
    const why = $("d-discard-reason").value.trim();
    if (!why) { Ops.say("d-message", "error", "Say why it is discarded."); return; }
    try {
      const o = await Ops.api("POST", "dead-letters/" + encodeURIComponent(d.id) + "/discard", { reason: why });
      Ops.say("d-message", "ok", "Discarded: " + outcomeText(o));
      $("d-discard").disabled = true;
      await load();
      history(d.operationId);
    } catch (e) {
      Ops.say("d-message", "error", e.message);
    }
  }

  async function replayMany(request, what) {
    try {
      const outcomes = await Ops.api("POST", "dead-letters/replay", request);
      const counts = {};
      outcomes.forEach((o) => { counts[o.outcome] = (counts[o.outcome] || 0) + 1; });
      // Reload first: the list's own message would replace the outcome.
      await load();
      Ops.say("list-message", "ok", "Replayed " + what + ": " +
        (Object.entries(counts).map(([k, v]) => v + " " + k).join(", ") || "nothing to replay"));
    } catch (e) {
      Ops.say("list-message", "error", e.message);
    }
  }

  $("filters").addEventListener("submit", (ev) => { ev.preventDefault(); state.offset = 0; load(); });
  $("f-reason").addEventListener("change", buttons);
  $("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - Number($("f-limit").value)); load(); });
  $("next").addEventListener("click", () => { state.offset += Number($("f-limit").value); load(); });
  $("select-all").addEventListener("change", () => {
    document.querySelectorAll("[data-select]").forEach((b) => {
      b.checked = $("select-all").checked;
      b.checked ? state.selected.add(b.dataset.select) : state.selected.delete(b.dataset.select);
    });
    buttons();
  });
  $("replay-selected").addEventListener("click", () =>
    replayMany({ ids: [...state.selected] }, state.selected.size + " selected"));
  $("replay-reason").addEventListener("click", () => {
    const reason = $("f-reason").value;
    if (reason && confirm("Replay every dead letter of reason " + reason + "?")) {
      replayMany({ reason }, "all " + reason);
    }
  });
  $("d-format").addEventListener("click", () => { $("d-body").value = Ops.indent($("d-body").value); });
  $("d-check").addEventListener("click", check);
  $("d-replay").addEventListener("click", replay);
  $("d-discard").addEventListener("click", discard);
  $("d-discard-reason").addEventListener("input", buttons);

  Ops.start("dead-letters").then(load).catch((e) => Ops.say("list-message", "error", e.message));
})();
