package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.DayFiles;
import dev.outpost.contracts.Destinations;
import dev.outpost.contracts.Fixtures;
import dev.outpost.system.harness.Browser;
import dev.outpost.system.harness.Central;
import dev.outpost.system.harness.CentralAdmin;
import dev.outpost.system.harness.Console;
import dev.outpost.system.harness.Edge;
import dev.outpost.system.harness.Ops;
import dev.outpost.system.harness.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops pages (issue 13) in headless Chromium against a real central and console: a dead letter
 * from a real rejection is found, edited (the contract check names what is wrong), replayed and
 * lands in PostgreSQL, audited as the person; a selection is replayed and one is discarded with its
 * reason; a viewer sees every action disabled and a forged change is refused; a day file uploaded
 * in the page is imported with its progress and result, and a second upload counts only duplicates;
 * a MANUAL conflict is decided in the page, field by field, taking one side or a merge, and central
 * keeps the choice; the fleet page follows central's fleet without a reload, and a terminal whose
 * link goes turns red. Screenshots land in target/screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpsConsoleIT {
  private static final String TERMINAL = "ops-till-1";
  private static final String USB_TERMINAL = "ops-usb-1";
  private static final Duration UI = Duration.ofSeconds(60);
  private static final Logger LOG = LoggerFactory.getLogger(OpsConsoleIT.class);

  private static Central central;
  private static Console console;
  private static Browser browser;

  @BeforeAll
  static void start() {
    browser = Browser.open("OpsConsoleIT");
    central = Central.withEmbeddedDb("OpsConsoleIT-central");
    console = Console.create("OpsConsoleIT-console", central.process().baseUrl(), List.of());
    central.process().launch();
    console.process().launch();
    central.process().awaitHealthy(Duration.ofSeconds(150));
    console.process().awaitHealthy(Duration.ofSeconds(150));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    for (AutoCloseable c : new AutoCloseable[] {console, central}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // keep closing the rest
      }
    }
  }

  @Test
  @Order(1)
  void aRejectedSaleIsEditedCheckedReplayedAndLandsInPostgres() {
    UUID id = Ops.newId();
    rejectSale(id, 1);

    WebDriver d = browser.driver();
    login(d, "/ops/dead-letters.html", "ops");
    WebElement row = await().atMost(UI).until(() -> row(d, id), r -> r != null);
    assertThat(row.getText()).contains("UNKNOWN_REFERENCE", TERMINAL, "sale.recorded");
    browser.screenshot("dead-letters-list");
    // The API's filters: another reason shows nothing, this one shows it.
    new org.openqa.selenium.support.ui.Select(d.findElement(By.id("f-reason")))
        .selectByVisibleText("SCHEMA_INVALID");
    d.findElement(By.id("search")).click();
    await().atMost(UI).until(() -> row(d, id) == null);
    new org.openqa.selenium.support.ui.Select(d.findElement(By.id("f-reason")))
        .selectByVisibleText("UNKNOWN_REFERENCE");
    d.findElement(By.id("f-terminal")).sendKeys(TERMINAL);
    d.findElement(By.id("search")).click();
    await().atMost(UI).until(() -> row(d, id) != null);

    row(d, id).click();
    await().atMost(UI).until(() -> d.findElement(By.id("detail")).isDisplayed());
    WebElement body = d.findElement(By.id("d-body"));
    await().atMost(UI).until(() -> body.getAttribute("value").contains("absinthe"));
    assertThat(d.findElement(By.id("d-fields")).getText()).contains("absinthe");
    String original = body.getAttribute("value");

    // Not JSON: named before anything is sent.
    setBody(d, original.substring(0, original.length() - 1));
    d.findElement(By.id("d-replay")).click();
    await().atMost(UI).until(() -> message(d).startsWith("Not valid JSON"));
    // JSON, but not the contract's shape: the field is named.
    setBody(d, original.replace("\"quantity\":1", "\"quantity\":\"one\""));
    d.findElement(By.id("d-check")).click();
    await().atMost(UI).until(() -> message(d).contains("Does not match the contract's schema"));
    assertThat(message(d)).contains("/payload/lines/0/quantity");
    browser.screenshot("dead-letter-schema-error");
    assertThat(central.db().count("select count(*) from dead_letter_audit")).isZero();

    // The fix: the product was mistyped.
    setBody(d, original.replace("absinthe", "beer"));
    d.findElement(By.id("d-format")).click();
    d.findElement(By.id("d-check")).click();
    await().atMost(UI).until(() -> message(d).startsWith("Valid"));
    d.findElement(By.id("d-replay")).click();
    await().atMost(UI).until(() -> message(d).startsWith("Replayed: ACCEPTED"));
    browser.screenshot("dead-letter-replayed");

    assertThat(
            central
                .db()
                .count(
                    "select count(*) from operations where operation_id = ?::uuid and source = 'replay'",
                    id.toString()))
        .isEqualTo(1);
    assertThat(
            central
                .db()
                .count(
                    "select count(*) from operations where operation_id = ?::uuid"
                        + " and payload->'lines'->0->>'productId' = 'beer'"
                        + " and payload->>'total' = '3.50'",
                    id.toString()))
        .as("the edited body, amounts exact")
        .isEqualTo(1);
    assertThat(
            central
                .db()
                .count(
                    "select count(*) from dead_letter_audit where operation_id = ?::uuid"
                        + " and actor = 'ops' and action = 'EDIT_REPLAY' and edited_body is not null",
                    id.toString()))
        .as("audited as the person")
        .isEqualTo(1);
    // The page's history and audit trail show it; the list no longer does.
    await().atMost(UI).until(() -> d.findElement(By.id("d-history")).getText().contains("REPLAY"));
    await().atMost(UI).until(() -> d.findElement(By.id("audit")).getText().contains("ops"));
    assertThat(row(d, id)).isNull();
  }

  @Test
  @Order(2)
  void aViewerSeesButCannotActAndAForgedChangeIsRefused() {
    UUID id = Ops.newId();
    rejectSale(id, 2);

    WebDriver d = browser.driver();
    login(d, "/ops/dead-letters.html", "viewer");
    await().atMost(UI).until(() -> row(d, id) != null);
    assertThat(d.findElement(By.id("readonly")).isDisplayed()).isTrue();
    row(d, id).click();
    await()
        .atMost(UI)
        .until(() -> d.findElement(By.id("d-body")).getAttribute("value").contains("absinthe"));
    for (String button : List.of("d-replay", "d-discard", "replay-selected", "replay-reason")) {
      assertThat(d.findElement(By.id(button)).isEnabled()).as(button).isFalse();
    }
    assertThat(d.findElement(By.id("d-discard-reason")).isEnabled()).isFalse();
    browser.screenshot("dead-letters-viewer");

    // A forged replay from the viewer's own page (session and CSRF token included): 403 from the
    // console; the same straight at central as the viewer: 403 there too.
    String dlId = row(d, id).getAttribute("data-id");
    Object status =
        ((JavascriptExecutor) d)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "fetch('/ops/api/dead-letters/' + arguments[0] + '/replay', {method: 'POST',"
                    + " headers: {'X-XSRF-TOKEN': Ops.csrfToken()}}).then(r => done(r.status),"
                    + " e => done(String(e)));",
                dlId);
    assertThat(status).isEqualTo(403L);
    CentralAdmin asViewer =
        new CentralAdmin(central.process().baseUrl(), CentralAdmin.basic("viewer", "viewer"));
    assertThat(asViewer.post("/api/v1/dead-letters/" + dlId + "/replay", "{}").status())
        .isEqualTo(403);
    assertThat(
            central
                .db()
                .count(
                    "select count(*) from dead_letter_audit where operation_id = ?::uuid",
                    id.toString()))
        .isZero();
    assertThat(central.db().operations(TERMINAL))
        .as("only the replayed sale of test 1")
        .isEqualTo(1);
    assertThat(asViewer.get("/api/v1/dead-letters/" + dlId).status()).isEqualTo(200);
  }

  @Test
  @Order(3)
  void aSelectionIsReplayedAndADeadLetterIsDiscardedWithAReason() {
    UUID first = Ops.newId();
    UUID second = Ops.newId();
    rejectSale(first, 3);
    rejectSale(second, 4);

    WebDriver d = browser.driver();
    login(d, "/ops/dead-letters.html", "ops");
    await().atMost(UI).until(() -> row(d, first) != null && row(d, second) != null);
    for (UUID id : List.of(first, second)) {
      row(d, id).findElement(By.cssSelector("input[data-select]")).click();
    }
    d.findElement(By.id("replay-selected")).click();
    // Still an unknown product: both fail again, each a new dead letter with one replay more.
    await()
        .atMost(UI)
        .until(() -> text(d, "list-message").equals("Replayed 2 selected: 2 REJECTED"));
    await()
        .atMost(UI)
        .until(
            () ->
                seen(
                    () ->
                        row(d, first).getText().contains("UNKNOWN_REFERENCE")
                            && row(d, first)
                                .findElements(By.tagName("td"))
                                .get(6)
                                .getText()
                                .equals("1")));

    row(d, first).click();
    await().atMost(UI).until(() -> d.findElement(By.id("detail")).isDisplayed());
    assertThat(d.findElement(By.id("d-discard")).isEnabled()).as("a reason first").isFalse();
    d.findElement(By.id("d-discard-reason")).sendKeys("test sale, never happened");
    d.findElement(By.id("d-discard")).click();
    await().atMost(UI).until(() -> message(d).startsWith("Discarded: DISCARDED"));
    await().atMost(UI).until(() -> row(d, first) == null);
    browser.screenshot("dead-letter-discarded");
    assertThat(
            central
                .db()
                .count(
                    "select count(*) from dead_letter_audit where operation_id = ?::uuid"
                        + " and actor = 'ops' and action = 'DISCARD'"
                        + " and detail = 'test sale, never happened'",
                    first.toString()))
        .isEqualTo(1);
    assertThat(
            central
                .db()
                .count(
                    "select count(*) from dead_letter_audit where operation_id = ?::uuid"
                        + " and actor = 'ops' and action = 'REPLAY'",
                    second.toString()))
        .isEqualTo(1);
    assertThat(
            central
                .db()
                .count(
                    "select count(*) from operations where operation_id in (?::uuid, ?::uuid)",
                    first.toString(),
                    second.toString()))
        .isZero();
  }

  @Test
  @Order(4)
  void aDayFileUploadedInThePageIsImportedOnceWithItsProgress() throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance(DayFiles.KEY_ALGORITHM).generateKeyPair();
    CentralAdmin admin = central.admin();
    assertThat(
            admin
                .put(
                    "/api/v1/terminals/" + USB_TERMINAL + "/key",
                    "{\"publicKey\":\"" + DayFiles.encode(keys.getPublic()) + "\"}")
                .status())
        .isEqualTo(200);
    ObjectNode[] sales = new ObjectNode[3];
    for (int i = 0; i < sales.length; i++) {
      sales[i] = Ops.sale(Ops.newId(), i + 1);
      sales[i].put("schemaVersion", 1).put("terminalId", USB_TERMINAL).put("sequence", i + 1);
      sales[i].put("occurredAt", "2026-11-23T21:0" + i + ":00Z");
    }
    ObjectNode file =
        DayFiles.seal(Fixtures.dayFile(USB_TERMINAL, keys.getPublic(), sales), keys.getPrivate());
    Path usb = Files.createDirectories(TestPaths.target().resolve("OpsConsoleIT-usb"));
    Path day = usb.resolve("ops-usb-1-2026-11-23.json");
    Files.writeString(day, Contracts.mapper().writeValueAsString(file));

    WebDriver d = browser.driver();
    login(d, "/ops/imports.html", "ops");
    await().atMost(UI).until(() -> d.findElement(By.id("who")).getText().startsWith("ops"));
    upload(d, day);
    await().atMost(UI).until(() -> text(d, "r-status").equals("DONE"));
    assertThat(text(d, "r-total")).isEqualTo("3");
    assertThat(text(d, "r-accepted")).isEqualTo("3");
    assertThat(text(d, "r-duplicate")).isEqualTo("0");
    assertThat(text(d, "r-rejected")).isEqualTo("0");
    assertThat(text(d, "r-complete")).startsWith("Complete");
    assertThat(d.findElement(By.id("progress")).getAttribute("value")).isEqualTo("100");
    assertThat(text(d, "progress-text")).contains("3 of 3 operations");
    assertThat(d.findElement(By.id("r-types")).getText()).contains("sale.recorded");
    browser.screenshot("import-done");
    assertThat(
            central
                .db()
                .count(
                    "select count(*) from operations where terminal_id = ? and source = 'import'",
                    USB_TERMINAL))
        .isEqualTo(3);
    assertThat(
            central
                .db()
                .count(
                    "select count(*) from imports where file_name = ? and actor = 'ops'",
                    day.getFileName().toString()))
        .isEqualTo(1);

    // The same stick again: only duplicates, nothing more at central.
    upload(d, day);
    await()
        .atMost(UI)
        .until(() -> text(d, "r-status").equals("DONE") && text(d, "r-duplicate").equals("3"));
    assertThat(text(d, "r-accepted")).isEqualTo("0");
    assertThat(central.db().operations(USB_TERMINAL)).isEqualTo(3);
    await()
        .atMost(UI)
        .until(
            () ->
                d.findElements(By.cssSelector("#imports tbody tr")).stream()
                        .filter(r -> r.getText().contains(day.getFileName().toString()))
                        .count()
                    == 2);
    browser.screenshot("import-again-duplicates");
  }

  @Test
  @Order(5)
  void aManualConflictIsDecidedInThePageAndCentralKeepsTheChoice() throws Exception {
    UUID record =
        heldConflict(
            10, 10, "{\"name\":\"Acme\"}", "{\"name\":\"Acme Ltd\"}", "{\"name\":\"ACME S.L.\"}");

    WebDriver d = browser.driver();
    login(d, "/ops/conflicts.html", "ops");
    By row = By.cssSelector("#open tbody tr[data-record='" + record + "']");
    await().atMost(UI).until(() -> !d.findElements(row).isEmpty());
    assertThat(d.findElement(row).getText()).contains("name");
    d.findElement(row).click();
    WebElement name = d.findElement(By.cssSelector("#c-fields tr[data-field='name']"));
    assertThat(name.getText()).contains("\"Acme Ltd\"", "\"ACME S.L.\"", "≠");
    assertThat(d.findElement(By.id("c-incoming")).isEnabled()).as("a note first").isFalse();
    d.findElement(By.id("c-note")).sendKeys("the supplier's registered name");
    browser.screenshot("conflict-side-by-side");
    d.findElement(By.id("c-incoming")).click();
    await().atMost(UI).until(() -> text(d, "c-message").startsWith("Resolved: INCOMING by ops"));
    await()
        .atMost(UI)
        .until(
            () ->
                d.findElement(By.id("resolved"))
                    .getText()
                    .contains("the supplier's registered name"));
    browser.screenshot("conflict-resolved");

    String data =
        central.admin().get("/api/v1/records/supplier/" + record).json().path("data").asText();
    assertThat(Contracts.mapper().readTree(data).path("name").asText()).isEqualTo("ACME S.L.");
    assertThat(
            central
                .db()
                .count(
                    "select count(*) from conflicts where record_id = ?::uuid and status = 'RESOLVED'"
                        + " and resolution = 'INCOMING' and resolved_by = 'ops'",
                    record.toString()))
        .isEqualTo(1);
  }

  @Test
  @Order(6)
  void aManualConflictIsMergedFieldByFieldInThePage() throws Exception {
    UUID record =
        heldConflict(
            20,
            11,
            "{\"name\":\"Acme\",\"phone\":\"1\"}",
            "{\"name\":\"Acme Ltd\",\"phone\":\"1\"}",
            "{\"name\":\"ACME\",\"phone\":\"2\"}");

    WebDriver d = browser.driver();
    d.get(console.baseUrl() + "/ops/conflicts.html");
    By row = By.cssSelector("#open tbody tr[data-record='" + record + "']");
    await().atMost(UI).until(() -> !d.findElements(row).isEmpty());
    d.findElement(row).click();
    // The stored name (prefilled) and the incoming phone (clicked into the merge).
    By phone = By.cssSelector("#c-fields tr[data-field='phone'] td");
    await().atMost(UI).until(() -> d.findElements(phone).size() == 4);
    d.findElements(phone).get(2).click();
    assertThat(d.findElement(By.cssSelector("[data-merge='phone']")).getAttribute("value"))
        .isEqualTo("\"2\"");
    assertThat(d.findElement(By.cssSelector("[data-merge='name']")).getAttribute("value"))
        .isEqualTo("\"Acme Ltd\"");
    d.findElement(By.id("c-note")).sendKeys("legal name, new phone");
    browser.screenshot("conflict-merge");
    d.findElement(By.id("c-merged")).click();
    await().atMost(UI).until(() -> text(d, "c-message").startsWith("Resolved: MERGED by ops"));

    String data =
        central.admin().get("/api/v1/records/supplier/" + record).json().path("data").asText();
    assertThat(Contracts.mapper().readTree(data))
        .isEqualTo(Contracts.mapper().readTree("{\"name\":\"Acme Ltd\",\"phone\":\"2\"}"));
  }

  @Test
  @Order(7)
  void theFleetPageFollowsCentralWithoutAReload() {
    WebDriver d = browser.driver();
    login(d, "/ops/fleet.html", "viewer");
    By known = By.cssSelector("#fleet tbody tr[data-terminal='" + TERMINAL + "']");
    await().atMost(UI).until(() -> !d.findElements(known).isEmpty());
    JavascriptExecutor js = (JavascriptExecutor) d;
    js.executeScript("window.samePage = true;");

    // Enrolled at central (by ops, elsewhere): it appears; revoked: it turns red with the alert.
    String added = "ops-new-1";
    assertThat(
            central
                .admin()
                .post("/api/v1/terminals", "{\"terminalId\":\"" + added + "\"}")
                .status())
        .isEqualTo(201);
    By row = By.cssSelector("#fleet tbody tr[data-terminal='" + added + "']");
    await().atMost(Duration.ofSeconds(15)).until(() -> !d.findElements(row).isEmpty());
    browser.screenshot("fleet-enrolled");
    assertThat(central.admin().post("/api/v1/terminals/" + added + "/revoke", "{}").status())
        .isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                seen(
                    () ->
                        d.findElement(row).getAttribute("class").contains("alert")
                            && d.findElement(row).getText().contains("REVOKED")));
    assertThat(js.executeScript("return window.samePage === true;")).isEqualTo(true);
    assertThat(text(d, "live")).startsWith("live");
    browser.screenshot("fleet-revoked");
  }

  @Test
  @Order(8)
  void aTerminalWhoseLinkIsCutTurnsRedWithoutAReload() {
    String live = "ops-live-1";
    WebDriver d = browser.driver();
    By link = By.cssSelector("#fleet tbody tr[data-terminal='" + live + "'] td[data-link]");
    try (Edge edge = Edge.create("OpsConsoleIT-edge", live, central).start()) {
      d.get(console.baseUrl() + "/ops/fleet.html");
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> seen(() -> d.findElement(link).getText().equals("online")));
      ((JavascriptExecutor) d).executeScript("window.samePage = true;");
      browser.screenshot("fleet-terminal-online");
    }
    // The terminal's process is gone: its broker link with it. Central notices a connection that
    // went silent within the link's 20 s TTL (a ping every 5 s), and the page follows at once.
    By row = By.cssSelector("#fleet tbody tr[data-terminal='" + live + "']");
    long cut = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(40))
        .conditionEvaluationListener(
            c -> {
              if (c.getRemainingTimeInMS() <= 1000) {
                browser.screenshot("fleet-terminal-not-offline");
                // Was it the page or central? Central's own view, for the failure.
                LOG.warn("fleet at central: {}", central.admin().get("/api/v1/terminals").body());
              }
            })
        .until(
            () ->
                seen(
                    () ->
                        d.findElement(link).getText().equals("offline")
                            && d.findElement(row).getAttribute("class").contains("alert")
                            && d.findElement(row).getText().contains("OFFLINE")));
    LOG.info(
        "the fleet page showed the cut terminal offline after {} s",
        Duration.ofNanos(System.nanoTime() - cut).toSeconds());
    assertThat(((JavascriptExecutor) d).executeScript("return window.samePage === true;"))
        .isEqualTo(true);
    browser.screenshot("fleet-terminal-offline");
  }

  /**
   * A MANUAL conflict on a new supplier (data as JSON objects): TERMINAL writes {@code first} then
   * {@code stored} on it, and USB_TERMINAL edits {@code first} meanwhile, which central holds.
   */
  private static UUID heldConflict(
      long sequence, int hour, String first, String stored, String incoming) {
    UUID record = UUID.randomUUID();
    String v1 = "2026-11-23T" + hour + ":00:00Z";
    sendSupplier(TERMINAL, sequence, record, v1, null, first);
    sendSupplier(TERMINAL, sequence + 1, record, "2026-11-23T" + hour + ":05:00Z", v1, stored);
    sendSupplier(USB_TERMINAL, sequence, record, "2026-11-23T" + hour + ":06:00Z", v1, incoming);
    awaitListed("/api/v1/conflicts?entity=supplier", record.toString());
    return record;
  }

  /** Waits until central's admin API answers {@code path} with {@code text} in it. */
  private static void awaitListed(String path, String text) {
    await().atMost(UI).until(() -> central.admin().get(path).body().contains(text));
  }

  private static void sendSupplier(
      String terminal, long sequence, UUID record, String at, String base, String data) {
    ObjectNode op = Fixtures.valid("record.upserted.json");
    op.put("operationId", Ops.newId().toString());
    op.put("schemaVersion", 1).put("terminalId", terminal).put("sequence", sequence);
    ObjectNode payload = (ObjectNode) op.get("payload");
    payload.put("entity", "supplier").put("id", record.toString()).put("updatedAt", at);
    if (base != null) {
      payload.put("baseUpdatedAt", base);
    }
    try {
      payload.set("data", Contracts.mapper().readTree(data));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    central.broker(terminal).sendText(Destinations.opsIn(terminal), Ops.json(op), Map.of());
  }

  /**
   * A sale for an unknown product, as the terminal's bridge delivers it: central dead-letters it.
   */
  private static void rejectSale(UUID id, long sequence) {
    ObjectNode op = Ops.sale(id, 1);
    op.put("schemaVersion", 1).put("terminalId", TERMINAL).put("sequence", sequence);
    op.put("occurredAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    ((ObjectNode) op.get("payload").get("lines").get(0)).put("productId", "absinthe");
    central.broker(TERMINAL).sendText(Destinations.opsIn(TERMINAL), Ops.json(op), Map.of());
    awaitListed("/api/v1/dead-letters?terminal=" + TERMINAL, id.toString());
  }

  /** A fresh session: Spring's login form, then the page asked for. */
  private void login(WebDriver d, String page, String user) {
    d.manage().deleteAllCookies();
    d.get(console.baseUrl() + page);
    await().atMost(UI).until(() -> d.getCurrentUrl().contains("/login"));
    d.findElement(By.id("username")).sendKeys(user);
    d.findElement(By.id("password")).sendKeys(user);
    d.findElement(By.cssSelector("button[type=submit]")).click();
    await().atMost(UI).until(() -> d.getCurrentUrl().contains(page));
    await().atMost(UI).until(() -> text(d, "who").startsWith(user));
  }

  private static void upload(WebDriver d, Path file) {
    d.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
    await().atMost(UI).until(() -> d.findElement(By.id("import")).isEnabled());
    d.findElement(By.id("import")).click();
    await().atMost(UI).until(() -> d.findElement(By.id("progress-box")).isDisplayed());
  }

  private static void setBody(WebDriver d, String text) {
    // As typed; value set by script (sendKeys of a whole document is slow and adds nothing).
    ((JavascriptExecutor) d)
        .executeScript("document.getElementById('d-body').value = arguments[0];", text);
  }

  private static String message(WebDriver d) {
    return text(d, "d-message");
  }

  private static WebElement row(WebDriver d, UUID operationId) {
    try {
      List<WebElement> rows =
          d.findElements(
              By.cssSelector("#dead-letters tbody tr[data-operation='" + operationId + "']"));
      return rows.isEmpty() ? null : rows.get(0);
    } catch (WebDriverException e) {
      return null;
    }
  }

  /**
   * Lists are re-rendered on every update: a row found may be gone a moment later, or not there yet
   * (null).
   */
  private static boolean seen(java.util.function.BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (WebDriverException | NullPointerException e) {
      return false;
    }
  }

  private static String text(WebDriver d, String id) {
    try {
      return d.findElement(By.id(id)).getText().trim();
    } catch (WebDriverException e) {
      return "";
    }
  }
}
