"use strict";
// The fleet, worst first, kept current by the console's server-sent events (/ops/fleet/stream).
(() => {
  const $ = (id) => document.getElementById(id);

  function age(seconds) {
    if (seconds === null || seconds === undefined) return "—";
    if (seconds < 120) return seconds + " s";
    if (seconds < 7200) return Math.round(seconds / 60) + " min";
    return Math.round(seconds / 3600) + " h";
  }

  /** Higher is worse: alerts first, then what waits at central. */
  function badness(t) {
    return (t.alerts || []).length * 1e9 + (t.waiting_at_central || 0);
  }

  function render(fleet) {
    const sorted = [...fleet].sort((a, b) => badness(b) - badness(a) || a.terminal_id.localeCompare(b.terminal_id));
    $("fleet").querySelector("tbody").replaceChildren(...sorted.map((t) => {
      const alerts = t.alerts || [];
      const link = t.online === null || t.online === undefined ? "unknown" : t.online ? "online" : "offline";
      return Ops.el("tr", { "data-terminal": t.terminal_id, class: alerts.length ? "alert" : "ok" },
        Ops.el("td", {}, t.terminal_id), Ops.el("td", {}, t.status), Ops.el("td", { "data-link": link }, link),
        Ops.el("td", {}, Ops.when(t.last_seen_at) || "never"), Ops.el("td", {}, t.waiting_at_central ?? "—"),
        Ops.el("td", {}, t.last_sequence ?? "—"),
        Ops.el("td", {}, (t.gaps || []).map((g) => g.first_missing + (g.last_missing !== g.first_missing ? "–" + g.last_missing : "")).join(", ")),
        Ops.el("td", {}, age(t.masterdata_age_seconds)), Ops.el("td", { "data-alerts": alerts.join(" ") }, alerts.join(", ")));
    }));
    Ops.say("message", "info", fleet.length ? "" : "No terminal yet: enroll one (./outpost terminals add ID).");
  }

  function connect() {
    const events = new EventSource("/ops/fleet/stream");
    events.addEventListener("open", () => { $("live").textContent = "live"; });
    events.addEventListener("fleet", (e) => {
      $("live").textContent = "live, updated " + new Date().toLocaleTimeString();
      render(JSON.parse(e.data));
    });
    events.addEventListener("failure", (e) => {
      let text = e.data;
      try { const p = JSON.parse(e.data); text = (p.title || "") + ": " + (p.detail || ""); } catch (x) { /* as is */ }
      Ops.say("message", "error", text);
    });
    // EventSource reconnects by itself; say so meanwhile.
    events.addEventListener("error", () => { $("live").textContent = "reconnecting…"; });
  }

  Ops.start("fleet").then(connect).catch((e) => Ops.say("message", "error", e.message));
})();
