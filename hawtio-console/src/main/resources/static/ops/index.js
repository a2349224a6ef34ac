"use strict";
Ops.start("home").then(() =>
  Ops.api("GET", "dead-letters?limit=1").then((page) => {
    document.getElementById("dead-letter-count").textContent =
      page.total + " dead letter" + (page.total === 1 ? "" : "s") + " waiting";
  }).catch((e) => {
    document.getElementById("dead-letter-count").textContent = e.message;
  })
);
