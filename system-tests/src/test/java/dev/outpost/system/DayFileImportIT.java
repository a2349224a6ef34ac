package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.system.harness.Central;
import dev.outpost.system.harness.CentralAdmin;
import dev.outpost.system.harness.Edge;
import dev.outpost.system.harness.EdgeClient;
import dev.outpost.system.harness.Ops;
import dev.outpost.system.harness.Ports;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The USB fallback end to end: a terminal records sales with central down and exports its day
 * (signed); the terminal is gone; central imports the file and applies every operation once;
 * importing again (upload or drop folder) changes nothing; a file with one byte changed is refused
 * and applies nothing; the completeness check names an operation a file left out.
 */
class DayFileImportIT {
  private static final String TERMINAL = "usb-till-1";
  private Edge edge;
  private Central central;

  @AfterEach
  void stop() {
    if (edge != null) {
      edge.close();
    }
    if (central != null) {
      central.close();
    }
  }

  @Test
  void exportWithCentralDownThenImportAppliesOnceRefusesTamperingAndChecksCompleteness()
      throws Exception {
    int brokerPort = Ports.free();
    edge = Edge.create("DayFileImportIT-edge", TERMINAL, "tcp://127.0.0.1:" + brokerPort).start();
    EdgeClient pos = edge.client();
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      ids.add(postSale(pos, i));
    }
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String range = "?from=" + today.minusDays(1) + "&to=" + today.plusDays(1);
    byte[] withoutLast = export(range);
    ids.add(postSale(pos, 5));
    byte[] full = export(range);
    JsonNode key = json(get(edge.baseUrl() + "/api/v1/terminal/key"));
    assertThat(edge.client().syncStatus().path("online").asBoolean())
        .as("central is down during export")
        .isFalse();

    JsonNode fullDoc = json(new String(full, StandardCharsets.UTF_8));
    assertThat(fullDoc.path("terminalId").asText()).isEqualTo(TERMINAL);
    assertThat(fullDoc.path("operations").size()).isEqualTo(5);
    assertThat(fullDoc.path("operations").findValuesAsText("operationId"))
        .containsExactlyElementsOf(ids);
    assertThat(fullDoc.path("summary").path("byType").path("sale.recorded").path("count").asInt())
        .isEqualTo(5);
    assertThat(
            fullDoc
                .path("summary")
                .path("byType")
                .path("sale.recorded")
                .path("total")
                .decimalValue())
        .isEqualByComparingTo(expectedTotal(5));
    assertThat(fullDoc.path("checksum").path("value").asText()).hasSize(64);
    assertThat(fullDoc.path("signature").path("value").asText()).isNotBlank();

    // The terminal is gone (the file came on a USB stick); central starts with nothing of it.
    edge.close();
    edge = null;
    central = Central.withEmbeddedDb("DayFileImportIT-central", brokerPort).start();
    CentralAdmin admin = new CentralAdmin(central.process().baseUrl(), CentralAdmin.OPS_AUTH);
    BigDecimal consumedBefore = central.db().consumed(Ops.ACTIVE_BRACELET);

    // Without a registered key the file is refused.
    CentralAdmin.Response unregistered = admin.postBytes("/api/v1/imports", full);
    assertThat(unregistered.status()).isEqualTo(422);
    assertThat(unregistered.body()).contains("no key registered");
    assertThat(central.db().operations(TERMINAL)).isZero();

    assertThat(
            admin
                .put(
                    "/api/v1/terminals/" + TERMINAL + "/key",
                    "{\"publicKey\":\"" + key.path("publicKey").asText() + "\"}")
                .status())
        .isEqualTo(200);

    // Import: every operation applied once, as an import.
    JsonNode first = admin.postBytes("/api/v1/imports?name=usb.json", full).json();
    assertThat(first.path("status").asText()).isEqualTo("DONE");
    assertThat(first.path("accepted").asInt()).isEqualTo(5);
    assertThat(first.path("duplicate").asInt()).isZero();
    assertThat(first.path("rejected").asInt()).isZero();
    assertThat(first.path("processed").asInt()).isEqualTo(5);
    assertThat(first.path("completeness").path("complete").asBoolean()).isTrue();
    assertThat(
            central
                .db()
                .count(
                    "select count(*) from operations where terminal_id = ? and source = 'import'",
                    TERMINAL))
        .isEqualTo(5);
    assertThat(central.db().consumed(Ops.ACTIVE_BRACELET))
        .isEqualByComparingTo(consumedBefore.add(expectedTotal(5)));
    Map<String, Long> afterFirst = central.db().writeCounts();
    BigDecimal consumedAfterFirst = central.db().consumed(Ops.ACTIVE_BRACELET);

    // Import again, in the background this time: only duplicates, nothing changes; progress
    // readable.
    CentralAdmin.Response again = admin.postBytes("/api/v1/imports?async=true", full);
    assertThat(again.status()).isEqualTo(202);
    String againId = again.json().path("id").asText();
    JsonNode done =
        await("second import done")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(300))
            .until(
                () -> admin.get("/api/v1/imports/" + againId).json(),
                r -> "DONE".equals(r.path("status").asText()));
    assertThat(done.path("processed").asInt()).isEqualTo(done.path("total").asInt()).isEqualTo(5);
    assertThat(done.path("duplicate").asInt()).isEqualTo(5);
    assertThat(done.path("accepted").asInt()).isZero();
    assertThat(central.db().writeCounts()).isEqualTo(afterFirst);
    assertThat(central.db().consumed(Ops.ACTIVE_BRACELET)).isEqualByComparingTo(consumedAfterFirst);

    // One byte changed (a sale's quantity): refused with the reason, nothing applied.
    byte[] tampered = changeOneByte(full);
    CentralAdmin.Response refused = admin.postBytes("/api/v1/imports", tampered);
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body()).contains("checksum mismatch");
    String refusedId = refused.json().path("importId").asText();
    assertThat(admin.get("/api/v1/imports/" + refusedId).json().path("status").asText())
        .isEqualTo("REFUSED");
    assertThat(central.db().writeCounts()).isEqualTo(afterFirst);
    assertThat(central.db().consumed(Ops.ACTIVE_BRACELET)).isEqualByComparingTo(consumedAfterFirst);

    // A file cut off half-way (a USB stick pulled while copying): refused as a whole, the reason
    // named, nothing applied.
    byte[] truncated = java.util.Arrays.copyOf(full, full.length / 2);
    CentralAdmin.Response cut = admin.postBytes("/api/v1/imports", truncated);
    assertThat(cut.status()).isEqualTo(422);
    assertThat(cut.body()).contains("not a JSON document");
    assertThat(central.db().writeCounts()).isEqualTo(afterFirst);

    // The earlier export lacks the fifth sale: the completeness check names it.
    JsonNode partial = admin.postBytes("/api/v1/imports", withoutLast).json();
    assertThat(partial.path("duplicate").asInt()).isEqualTo(4);
    JsonNode completeness = partial.path("completeness");
    assertThat(completeness.path("complete").asBoolean()).isFalse();
    assertThat(texts(completeness.path("missingInFile"))).containsExactly(ids.get(4));
    assertThat(texts(completeness.path("missingAtCentral"))).isEmpty();
    assertThat(completeness.path("byType").path("sale.recorded").path("file").path("count").asInt())
        .isEqualTo(4);
    assertThat(
            completeness.path("byType").path("sale.recorded").path("central").path("count").asInt())
        .isEqualTo(5);
    assertThat(completeness.path("byType").path("sale.recorded").path("matches").asBoolean())
        .isFalse();

    // The drop folder: a good file ends in done/, a tampered one in failed/ with its reason.
    Path inbox = central.process().dataDir().resolve("imports/inbox");
    Files.createDirectories(inbox);
    Files.write(inbox.resolve("day.json.part"), full);
    Files.move(inbox.resolve("day.json.part"), inbox.resolve("day.json"));
    Files.write(inbox.resolve("bad.json"), tampered);
    Path doneDir = inbox.resolveSibling("done");
    Path failedDir = inbox.resolveSibling("failed");
    await("drop folder processed")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                names(doneDir).stream().anyMatch(n -> n.endsWith("day.json"))
                    && names(failedDir).stream().anyMatch(n -> n.endsWith("bad.json.reason.txt")));
    Path reason =
        Files.list(failedDir)
            .filter(p -> p.toString().endsWith(".reason.txt"))
            .findFirst()
            .orElseThrow();
    assertThat(Files.readString(reason)).contains("checksum mismatch");
    assertThat(
            central
                .db()
                .count(
                    "select count(*) from imports where via = 'folder' and status = 'DONE' and duplicate = 5"))
        .isEqualTo(1);
    assertThat(central.db().writeCounts()).isEqualTo(afterFirst);
  }

  private static JsonNode json(String text) {
    try {
      return Contracts.mapper().readTree(text);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static BigDecimal expectedTotal(int sales) {
    BigDecimal sum = BigDecimal.ZERO;
    for (int i = 1; i <= sales; i++) {
      sum = sum.add(Ops.saleTotal(i));
    }
    return sum;
  }

  private String postSale(EdgeClient pos, int quantity) {
    UUID id = Ops.newId();
    ObjectNode sale = Ops.sale(id, quantity);
    sale.put(
        "occurredAt",
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    EdgeClient.Response r = pos.postOperation(Ops.json(sale));
    assertThat(r.status()).as("POST sale: %s", r.body()).isEqualTo(202);
    return id.toString();
  }

  private byte[] export(String query) {
    String body = get(edge.baseUrl() + "/api/v1/export" + query);
    return body.getBytes(StandardCharsets.UTF_8);
  }

  /** Changes one digit of the first quantity in the file. */
  private static byte[] changeOneByte(byte[] file) {
    String text = new String(file, StandardCharsets.UTF_8);
    int at = text.indexOf("\"quantity\"");
    int digit = at;
    while (!Character.isDigit(text.charAt(digit))) {
      digit++;
    }
    byte[] copy = file.clone();
    copy[digit] = (byte) (copy[digit] == '9' ? '8' : copy[digit] + 1);
    return copy;
  }

  private static List<String> names(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static String get(String url) {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url))
                      .timeout(Duration.ofSeconds(30))
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
      return r.body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
