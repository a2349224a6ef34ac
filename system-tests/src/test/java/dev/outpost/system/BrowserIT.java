package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.system.harness.Broker;
import dev.outpost.system.harness.Browser;
import dev.outpost.system.harness.Central;
import dev.outpost.system.harness.Console;
import dev.outpost.system.harness.Edge;
import dev.outpost.system.harness.Ops;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

/**
 * The two web faces in headless Chromium, on real processes: the Hawtio console (login, central's
 * Camel routes, the ingest route's diagram with its named steps, the DLQ depth, a terminal's
 * master-data route diagram) and a terminal's operator page (pending while central is down, pushed
 * to the page over its status stream with no reload, the pending chart; pause). Screenshots land in
 * target/screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserIT {
  private static final String TERMINAL = "web-till-1";
  private static final Duration UI = Duration.ofSeconds(60);

  private static Central central;
  private static Edge edge;
  private static Console console;
  private static Browser browser;

  @BeforeAll
  static void start() {
    browser = Browser.open("BrowserIT");
    central = Central.withEmbeddedDb("BrowserIT-central");
    edge = Edge.create("BrowserIT-edge", TERMINAL, central);
    console =
        Console.create(
            "BrowserIT-console",
            central.process().baseUrl(),
            List.of(TERMINAL + "=" + edge.baseUrl() + "/actuator/jolokia"));
    // Start-ups overlap: none of the three needs another to start.
    central.process().launch();
    edge.process().launch();
    console.process().launch();
    central.process().awaitHealthy(Duration.ofSeconds(150));
    edge.process().awaitHealthy(Duration.ofSeconds(150));
    console.process().awaitHealthy(Duration.ofSeconds(150));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    for (AutoCloseable c : new AutoCloseable[] {console, edge, central}) {
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
  void consoleNeedsALoginThenShowsCentralsRoutesAndTheDlqDepth() {
    // One operation central can never apply (not JSON) becomes a dead letter.
    Broker centralBroker = central.broker(TERMINAL);
    centralBroker.sendText("outpost.ops.in." + TERMINAL, "{not json", Map.of());
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> centralBroker.browse("outpost.ops.DLQ").size() == 1);

    WebDriver d = browser.driver();
    d.get(console.hawtioUrl());
    await().atMost(UI).until(() -> d.getCurrentUrl().contains("/login"));
    browser.screenshot("console-login");
    d.findElement(By.id("username")).sendKeys("ops");
    d.findElement(By.id("password")).sendKeys("ops");
    d.findElement(By.cssSelector("button[type=submit]")).click();

    // Hawtio opens the preset connection "central" and asks for central's own login (Jolokia
    // there requires one as well).
    await().atMost(UI).until(() -> first(d, By.id("connect-login-form-username")) != null);
    browser.screenshot("console-central-login");
    d.findElement(By.id("connect-login-form-username")).sendKeys("ops");
    d.findElement(By.id("connect-login-form-password")).sendKeys("ops");
    d.findElement(By.xpath("//button[normalize-space()='Log in']")).click();

    // Camel: central's context and its routes, with their statistics.
    await().atMost(UI).until(() -> clickText(d, "Camel", false));
    await().atMost(UI).until(() -> d.getPageSource().contains("outpost-central"));
    browser.screenshot("console-camel");
    // The routes folder of the context opens selected; its "Routes" view lists them with
    // statistics.
    await().atMost(UI).until(() -> clickTab(d, "Routes"));
    await()
        .atMost(UI)
        .until(
            () ->
                first(d, By.xpath("//td[contains(normalize-space(.),'central-ingest-batch')]"))
                    != null);
    browser.screenshot("console-camel-routes");

    // The ingest route's diagram reads as the flow: its steps show their ids, not "bean1".
    openRouteDiagram(d, "central-ingest-batch");
    await().atMost(UI).until(() -> d.getPageSource().contains("apply-batch-in-one-transaction"));
    browser.screenshot("console-ingest-route-diagram");

    // JMX: the broker's DLQ queue and its depth (no Artemis plugin: queues are in the JMX tree).
    await().atMost(UI).until(() -> clickText(d, "JMX", false));
    await()
        .atMost(UI)
        .until(
            () ->
                first(d, By.cssSelector("input[type=search], input[placeholder*='earch']"))
                    != null);
    d.findElement(By.cssSelector("input[type=search], input[placeholder*='earch']"))
        .sendKeys("outpost.ops.DLQ");
    await().atMost(UI).until(() -> clickText(d, "outpost.ops.DLQ", true));
    browser.screenshot("console-dlq-node");
    await()
        .atMost(UI)
        .until(
            () ->
                d.getPageSource().contains("MessageCount")
                    || d.getPageSource().contains("Message count"));
    browser.screenshot("console-dlq-queue");
    WebElement count =
        d.findElement(
            By.xpath(
                "//tr[td[normalize-space()='MessageCount' or normalize-space()='Message count']]/td[2]"));
    assertThat(count.getText().trim()).isEqualTo("1");
  }

  @Test
  @Order(2)
  void operatorPageShowsPendingRiseWhileCentralIsDownAndFallAfter() {
    WebDriver d = browser.driver();
    d.get(edge.baseUrl() + "/");
    await()
        .atMost(UI)
        .until(() -> text(d, "link").equals("online") && text(d, "pending").equals("0"));
    // Each master-data set from the sync status document, with its last pull.
    await()
        .atMost(UI)
        .until(
            () ->
                d.findElements(By.cssSelector("#master-data tr[data-set='products'] td")).size()
                    == 4);
    for (String set : List.of("products", "visits")) {
      List<WebElement> cells =
          d.findElements(By.cssSelector("#master-data tr[data-set='" + set + "'] td"));
      assertThat(cells).as("master-data row of " + set).hasSize(4);
      assertThat(cells.get(1).getText()).isEqualTo("yes");
      assertThat(cells.get(2).getText()).isNotBlank().isNotEqualTo("never");
    }
    // Updates are pushed over the status stream (server-sent events), not polled.
    await().atMost(UI).until(() -> "sse".equals(live(d)));
    assertThat(text(d, "live")).isEqualTo("live");
    // A reload would drop this mark: the changes below must reach the page as it is.
    ((JavascriptExecutor) d).executeScript("window.outpostSameLoad = true;");
    browser.screenshot("operator-online");

    central.process().stop();
    for (int i = 0; i < 12; i++) {
      assertThat(edge.client().postOperation(Ops.json(Ops.sale(Ops.newId(), 1))).status())
          .isEqualTo(202);
    }
    await()
        .atMost(UI)
        .until(() -> text(d, "link").equals("offline") && text(d, "pending").equals("12"));
    assertThat(((JavascriptExecutor) d).executeScript("return window.outpostSameLoad === true;"))
        .as("the pending count changed without a reload")
        .isEqualTo(true);
    assertThat(live(d)).isEqualTo("sse");
    // The pending chart of the last minutes: an SVG path that climbed to 12.
    await()
        .atMost(UI)
        .until(
            () ->
                d.findElement(By.cssSelector("svg#pending-chart path"))
                    .getAttribute("d")
                    .matches("M[0-9.]+ [0-9.]+( H[0-9.]+ V[0-9.]+)+ H[0-9.]+"));
    assertThat(text(d, "pending-chart-label")).matches("pending since \\d\\d:\\d\\d:\\d\\d");
    assertThat(text(d, "pending-chart-max")).contains("highest 12");
    browser.screenshot("operator-live-pending-chart");
    // Above 10 pending the tile turns red and the backlog alert shows.
    assertThat(d.findElement(By.id("pending-tile")).getAttribute("class")).contains("alert");
    assertThat(d.findElement(By.id("alerts")).getText()).contains("PENDING_BACKLOG");
    browser.screenshot("operator-central-down");

    central.start();
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> text(d, "pending").equals("0") && text(d, "link").equals("online"));
    assertThat(d.findElement(By.id("pending-tile")).getAttribute("class")).doesNotContain("alert");
    assertThat(Long.parseLong(text(d, "accepted"))).isGreaterThanOrEqualTo(12);
    browser.screenshot("operator-drained");
  }

  @Test
  @Order(3)
  void pauseOnTheOperatorPageStopsForwardingUntilResumed() {
    WebDriver d = browser.driver();
    d.get(edge.baseUrl() + "/");
    await()
        .atMost(UI)
        .until(() -> text(d, "link").equals("online") && text(d, "pending").equals("0"));
    long accepted = Long.parseLong(text(d, "accepted"));

    d.findElement(By.id("pause")).click();
    // Paused is its own state, not "offline": central is still reachable.
    await()
        .atMost(UI)
        .until(
            () ->
                d.findElement(By.id("paused")).isDisplayed()
                    && d.findElement(By.id("resume")).isDisplayed()
                    && text(d, "link").equals("paused"));
    for (int i = 0; i < 3; i++) {
      assertThat(edge.client().postOperation(Ops.json(Ops.sale(Ops.newId(), 1))).status())
          .isEqualTo(202);
    }
    // Held: the three stay pending while central is up and reachable.
    await().atMost(UI).until(() -> text(d, "pending").equals("3"));
    await()
        .during(Duration.ofSeconds(6))
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                text(d, "pending").equals("3")
                    && text(d, "accepted").equals(String.valueOf(accepted)));
    assertThat(edge.client().syncStatus().path("paused").asBoolean()).isTrue();
    browser.screenshot("operator-paused");

    d.findElement(By.id("resume")).click();
    await().atMost(Duration.ofMinutes(1)).until(() -> text(d, "pending").equals("0"));
    assertThat(Long.parseLong(text(d, "accepted"))).isEqualTo(accepted + 3);
    assertThat(d.findElement(By.id("paused")).isDisplayed()).isFalse();
    browser.screenshot("operator-resumed");
  }

  @Test
  @Order(4)
  void consoleShowsTheTerminalsMasterDataRouteAsNamedSteps() {
    WebDriver d = browser.driver();
    // The terminal's preset connection, opened in this tab (Hawtio's "con" parameter).
    // Hawtio reuses the ops login it holds for this console session, or asks for it.
    d.get(console.hawtioUrl() + "?con=" + TERMINAL);
    await()
        .atMost(UI)
        .until(
            () ->
                first(d, By.id("connect-login-form-username")) != null
                    || d.getPageSource().contains("edge-" + TERMINAL));
    if (first(d, By.id("connect-login-form-username")) != null) {
      d.findElement(By.id("connect-login-form-username")).sendKeys("ops");
      d.findElement(By.id("connect-login-form-password")).sendKeys("ops");
      d.findElement(By.xpath("//button[normalize-space()='Log in']")).click();
    }
    await().atMost(UI).until(() -> clickText(d, "Camel", false));
    await().atMost(UI).until(() -> d.getPageSource().contains("edge-" + TERMINAL));
    browser.screenshot("console-terminal-camel");
    openRouteDiagram(d, "masterdata-changes");
    try {
      await()
          .atMost(UI)
          .until(
              () ->
                  d.getPageSource()
                      .contains("apply-changes-to-cache-keep-unknown-in-terminal-dlq"));
    } finally {
      browser.screenshot("console-terminal-masterdata-route-diagram");
    }
    // (Hawtio 5.2 draws no node for the unmarshal step, parse-change, inside the doTry.)
    assertThat(d.getPageSource())
        .contains("masterdata-changes-drop-headers", "read-change", "stop-after-unreadable-change");
  }

  /** Finds the route in the Camel tree (its search box), selects it, opens "Route Diagram". */
  private static void openRouteDiagram(WebDriver d, String routeId) {
    By search =
        By.cssSelector(
            "[class*='tree-view__search'] input, [class*='tree-view'] input[type=search]");
    await().atMost(UI).until(() -> first(d, search) != null);
    WebElement box = d.findElement(search);
    box.clear();
    box.sendKeys(routeId);
    await()
        .atMost(UI)
        .until(
            () ->
                clickFirst(
                    d,
                    By.xpath(
                        "//*[contains(@class,'tree-view')]//*[normalize-space(text())='"
                            + routeId
                            + "']")));
    await().atMost(UI).until(() -> clickTab(d, "Route Diagram"));
  }

  private static boolean clickFirst(WebDriver d, By by) {
    try {
      for (WebElement e : d.findElements(by)) {
        if (e.isDisplayed()) {
          e.click();
          return true;
        }
      }
    } catch (WebDriverException e) {
      // re-rendered while clicking: the next poll tries again
    }
    return false;
  }

  /** The page's update mode: body data-live, 'sse' (event stream) or 'poll'. */
  private static String live(WebDriver d) {
    try {
      return d.findElement(By.tagName("body")).getAttribute("data-live");
    } catch (WebDriverException e) {
      return "";
    }
  }

  private static String text(WebDriver d, String id) {
    try {
      return d.findElement(By.id(id)).getText().trim();
    } catch (WebDriverException e) {
      return "";
    }
  }

  private static boolean clickTab(WebDriver d, String label) {
    try {
      for (WebElement tab :
          d.findElements(
              By.xpath("//a[contains(@class,'nav__link')][normalize-space()='" + label + "']"))) {
        if (tab.isDisplayed()) {
          tab.click();
          return true;
        }
      }
    } catch (WebDriverException e) {
      // re-rendered while clicking: the next poll tries again
    }
    return false;
  }

  private static WebElement first(WebDriver d, By by) {
    List<WebElement> found = d.findElements(by);
    return found.isEmpty() ? null : found.get(0);
  }

  /**
   * Clicks a visible element showing exactly this text (the deepest one when {@code last}: a queue
   * node below its address); false while there is none yet.
   */
  private static boolean clickText(WebDriver d, String label, boolean last) {
    try {
      List<WebElement> found =
          d.findElements(By.xpath("//*[normalize-space(text())='" + label + "']"));
      for (int n = 0; n < found.size(); n++) {
        WebElement e = found.get(last ? found.size() - 1 - n : n);
        if (e.isDisplayed()) {
          e.click();
          return true;
        }
      }
    } catch (WebDriverException e) {
      // re-rendered while clicking: the next poll tries again
    }
    return false;
  }
}
