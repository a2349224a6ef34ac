"use strict";
// Imports: upload a day file (multipart, through the console to central), follow its progress,
// show the counts and the completeness report; list past imports.
(() => {
  const $ = (id) => document.getElementById(id);

  function progress(percent, text) {
    $("progress-box").classList.remove("hidden");
    $("progress").value = percent;
    $("progress-text").textContent = text;
  }

  /** XMLHttpRequest rather than fetch: it reports upload progress. */
  function upload(file) {
    return new Promise((resolve, reject) => {
      const form = new FormData();
      form.append("file", file, file.name);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/ops/api/imports?async=true");
      xhr.setRequestHeader("X-XSRF-TOKEN", Ops.csrfToken());
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) progress(Math.round((e.loaded / e.total) * 100), "Uploading… " + e.loaded + " of " + e.total + " bytes");
      };
      xhr.onload = async () => {
        const res = new Response(xhr.responseText, { status: xhr.status, headers: { "Content-Type": xhr.getResponseHeader("Content-Type") || "" } });
        if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText));
        else reject(await Ops.failure(res));
      };
      xhr.onerror = () => reject(new Error("the console did not answer"));
      xhr.send(form);
    });
  }

  async function follow(report) {
    while (report.status === "RUNNING") {
      const done = report.total ? Math.round((report.processed / report.total) * 100) : 0;
      progress(done, "Importing… " + report.processed + " of " + report.total + " operations");
      await new Promise((r) => setTimeout(r, 500));
      report = await Ops.api("GET", "imports/" + report.id);
    }
    progress(100, report.status + ": " + report.processed + " of " + report.total + " operations");
    return report;
  }

  function show(report) {
    $("result").classList.remove("hidden");
    $("r-status").textContent = report.status;
    $("r-total").textContent = report.total;
    $("r-accepted").textContent = report.accepted;
    $("r-duplicate").textContent = report.duplicate;
    $("r-rejected").textContent = report.rejected;
    const c = report.completeness || {};
    $("r-complete").textContent = c.complete === undefined ? "not checked" :
      (c.complete ? "Complete: central holds exactly the file's operations for "
                  : "Not complete for ") + (c.terminalId || "") + " " + (c.from || "") + " – " + (c.to || "") +
      (c.complete ? "." : ": " + (c.missingAtCentralCount || 0) + " of the file's operations missing at central, " +
        (c.missingInFileCount || 0) + " at central missing from the file.");
    const rows = Object.entries(c.byType || {}).map(([type, t]) => Ops.el("tr", { "data-type": type },
      Ops.el("td", {}, type), Ops.el("td", {}, t.file?.count ?? ""), Ops.el("td", {}, t.central?.count ?? ""),
      Ops.el("td", {}, t.file?.total ?? ""), Ops.el("td", {}, t.central?.total ?? "")));
    $("r-types").querySelector("tbody").replaceChildren(...rows);
    const kind = report.status === "DONE" ? (report.rejected ? "info" : "ok") : "error";
    Ops.say("message", kind, "Import " + report.id + " " + report.status +
      (report.rejected ? ": " + report.rejected + " rejected, see Dead letters." : "."));
  }

  async function list() {
    try {
      const rows = await Ops.api("GET", "imports?limit=50");
      $("imports").querySelector("tbody").replaceChildren(...rows.map((r) => Ops.el("tr", { "data-id": r.id },
        Ops.el("td", {}, Ops.when(r.receivedAt)), Ops.el("td", {}, r.fileName || ""), Ops.el("td", {}, r.terminalId || ""),
        Ops.el("td", {}, (r.from || "") + (r.to && r.to !== r.from ? " – " + r.to : "")),
        Ops.el("td", {}, r.status + (r.refusedReason ? ": " + r.refusedReason : "")),
        Ops.el("td", {}, r.accepted), Ops.el("td", {}, r.duplicate), Ops.el("td", {}, r.rejected),
        Ops.el("td", {}, r.actor || ""),
        Ops.el("td", {}, r.completeness ? (r.completeness.complete ? "yes" : "no") : ""))));
    } catch (e) {
      Ops.say("message", "error", e.message);
    }
  }

  $("file").addEventListener("change", () => {
    $("import").disabled = !$("file").files.length;
    Ops.refreshActs();
  });
  $("upload").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const file = $("file").files[0];
    if (!file) { Ops.say("message", "error", "Choose a day file first."); return; }
    $("import").disabled = true;
    $("result").classList.add("hidden");
    Ops.say("message", "info", "");
    try {
      show(await follow(await upload(file)));
    } catch (e) {
      $("progress-box").classList.add("hidden");
      Ops.say("message", "error", "Not imported: " + e.message);
    }
    $("import").disabled = false;
    list();
  });

  Ops.start("imports").then(list).catch((e) => Ops.say("message", "error", e.message));
})();
