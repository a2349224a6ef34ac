// Shared by the ops pages: the session (who, may act), calls to central's admin API through the
// console (/ops/api/... -> central /api/v1/...), and small rendering helpers. No libraries.
"use strict";

const Ops = (() => {
  function csrfToken() {
    const m = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  /** A problem+json answer (or any failure) as one line naming what is wrong. */
  async function failure(res) {
    let text = await res.text();
    try {
      const p = JSON.parse(text);
      text = (p.title || res.status) + ": " + (p.detail || "");
      if (Array.isArray(p.errors)) {
        text += "\n" + p.errors.map((e) => (e.pointer || "/") + ": " + (e.message || e.detail || "")).join("\n");
      }
    } catch (e) {
      text = res.status + " " + res.statusText;
    }
    const err = new Error(text);
    err.status = res.status;
    return err;
  }

  /** fetch against the console; JSON in and out; throws an Error whose message names the problem. */
  async function call(method, path, body, contentType) {
    const headers = { Accept: "application/json" };
    if (method !== "GET") {
      headers["X-XSRF-TOKEN"] = csrfToken();
    }
    let payload;
    if (body !== undefined && body !== null) {
      headers["Content-Type"] = contentType || "application/json";
      payload = typeof body === "string" ? body : JSON.stringify(body);
    }
    const res = await fetch(path, { method, headers, body: payload, credentials: "same-origin" });
    if (!res.ok) {
      throw await failure(res);
    }
    const type = res.headers.get("Content-Type") || "";
    return type.includes("json") ? res.json() : res.text();
  }

  const api = (method, path, body) => call(method, "/ops/api/" + path, body);

  const PAGES = [["home", "/ops/", "Home"], ["fleet", "/ops/fleet.html", "Fleet"],
    ["dead-letters", "/ops/dead-letters.html", "Dead letters"], ["imports", "/ops/imports.html", "Imports"],
    ["conflicts", "/ops/conflicts.html", "Conflicts"]];

  /** The one navigation bar of every page (each page has an empty header). */
  function nav(page) {
    document.querySelector("header").replaceChildren(
      el("strong", {}, "Outpost ops"),
      ...PAGES.map(([id, href, label]) => el("a", { href, "data-page": id, class: id === page ? "current" : null }, label)),
      el("a", { href: "/actuator/hawtio/" }, "Hawtio (integrators)"),
      el("span", { class: "who", id: "who" }));
  }

  let session = null;
  /** Draws the nav; loads who is logged in; disables every [data-act] control for a viewer. */
  async function start(page) {
    nav(page);
    session = await call("GET", "/ops/session");
    document.getElementById("who").textContent =
      session.user + (session.canAct ? " (ops)" : " (viewer: read only)");
    if (!session.canAct) {
      const note = document.getElementById("readonly");
      if (note) note.classList.remove("hidden");
    }
    refreshActs();
    return session;
  }

  /** [data-act] controls are for ops; a viewer sees them disabled. */
  function refreshActs() {
    document.querySelectorAll("[data-act]").forEach((el) => {
      if (session && !session.canAct) {
        el.disabled = true;
        el.title = "viewers cannot act";
      }
    });
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === undefined || v === null) return;
      if (k === "class") e.className = v;
      else if (k.startsWith("data-")) e.setAttribute(k, v);
      else e[k] = v;
    });
    children.flat().forEach((c) => e.append(c instanceof Node ? c : String(c ?? "")));
    return e;
  }

  function say(id, kind, text) {
    const box = document.getElementById(id);
    box.className = "message " + kind;
    box.textContent = text;
  }

  function when(instant) {
    if (!instant) return "";
    const d = new Date(instant);
    return isNaN(d) ? String(instant) : d.toLocaleString();
  }

  /**
   * Re-indents JSON text without parsing numbers (JSON.parse would turn 3.50 into 3.5; central
   * keeps amounts as sent).
   */
  function indent(text) {
    let out = "", depth = 0, inString = false, escaped = false;
    const nl = () => "\n" + "  ".repeat(depth);
    for (const ch of text) {
      if (inString) {
        out += ch;
        if (escaped) escaped = false;
        else if (ch === "\\") escaped = true;
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') { inString = true; out += ch; }
      else if (ch === "{" || ch === "[") { depth++; out += ch + nl(); }
      else if (ch === "}" || ch === "]") { depth--; out += nl() + ch; }
      else if (ch === ",") out += ch + nl();
      else if (ch === ":") out += ": ";
      else if (!/\s/.test(ch)) out += ch;
    }
    return out.replace(/([{[])\n\s*([}\]])/g, "$1$2");
  }

  return { api, call, start, refreshActs, el, say, when, indent, csrfToken, failure };
})();
