package dev.outpost.central.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.central.CentralApi;
import dev.outpost.central.CentralTestEnv;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.DayFiles;
import dev.outpost.contracts.Fixtures;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A day file uploaded as multipart/form-data (a browser form, {@code curl -F file=@day.json})
 * against the running central (real PostgreSQL, Artemis and Spring Security): it is imported like
 * the raw body, once; a bad upload is a 4xx that names what is wrong. Every answer is checked
 * against the admin API document ({@link CentralApi}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportUploadTest {
  static final CentralTestEnv ENV = CentralTestEnv.create("central-import-upload");
  static final String TERMINAL = "till-upload";
  static final int MAX_IMPORT_BYTES = 50_000;
  static final String BOUNDARY = "outpost-test-boundary";

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    ENV.register(r);
    r.add("outpost.imports.max-bytes", () -> Integer.toString(MAX_IMPORT_BYTES));
    CentralTestEnv.logins(r, "ops:ops:ops", "viewer:viewer:viewer");
  }

  @LocalServerPort int port;
  KeyPair keys;

  @BeforeAll
  void registerKey() throws Exception {
    ENV.enrolled(TERMINAL);
    keys = KeyPairGenerator.getInstance(DayFiles.KEY_ALGORITHM).generateKeyPair();
    String key = "{\"publicKey\":\"" + DayFiles.encode(keys.getPublic()) + "\"}";
    HttpResponse<String> put =
        CentralApi.send(
            CentralApi.request(
                port,
                "PUT",
                "/api/v1/terminals/" + TERMINAL + "/key",
                "ops:ops",
                "application/json",
                key));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
  }

  @Test
  void aMultipartUploadIsImportedOnceAndRecordsTheFileName() throws Exception {
    String day = dayFile();
    JsonNode first = json(upload("ops:ops", part("file", "day-1.json", day)), 200);
    assertThat(first.get("status").asText()).as(first.toString()).isEqualTo("DONE");
    assertThat(first.get("accepted").asInt()).isEqualTo(1);
    assertThat(first.get("fileName").asText()).isEqualTo("day-1.json");
    assertThat(first.get("actor").asText()).isEqualTo("ops");

    JsonNode again = json(upload("ops:ops", part("file", "day-1.json", day)), 200);
    assertThat(again.get("accepted").asInt()).isZero();
    assertThat(again.get("duplicate").asInt()).isEqualTo(1);
  }

  @Test
  void aBadUploadIsA4xxNamingWhatIsWrong() throws Exception {
    assertThat(problem(upload("ops:ops", part("upload", "day.json", dayFile())), 400))
        .contains("no part named \"file\" (got upload)");
    assertThat(problem(upload("ops:ops", part("comment", null, "hello")), 400))
        .contains("no part named \"file\" (got comment)");
    assertThat(problem(upload("ops:ops", part("file", "day.json", "")), 400))
        .contains("day.json is empty");
    assertThat(problem(upload("ops:ops", new byte[0]), 400)).contains("part");
    assertThat(
            problem(
                upload("ops:ops", part("file", "big.json", "x".repeat(MAX_IMPORT_BYTES + 1))), 413))
        .contains(MAX_IMPORT_BYTES + " bytes");
    // Not a day file at all: refused as a whole, as the raw body is.
    assertThat(problem(upload("ops:ops", part("file", "notes.txt", "{}")), 422)).isNotBlank();
    // A boundary the body does not have.
    HttpResponse<String> broken =
        send(
            "ops:ops",
            "multipart/form-data; boundary=other",
            part("file", "day.json", dayFile()),
            null);
    assertThat(problem(broken, 400)).contains("multipart");
  }

  @Test
  void onlyOpsMayUploadAndNotFromAWebPage() throws Exception {
    byte[] body = part("file", "day.json", dayFile());
    assertThat(upload("viewer:viewer", body).statusCode()).isEqualTo(403);
    assertThat(upload(null, body).statusCode()).isEqualTo(401);
    HttpResponse<String> fromPage =
        send("ops:ops", "multipart/form-data; boundary=" + BOUNDARY, body, "http://evil.example");
    assertThat(problem(fromPage, 403)).contains("upload through the console");
  }

  private String dayFile() throws Exception {
    ObjectNode op = Fixtures.valid("sale.recorded.json");
    op.put("operationId", UUID.randomUUID().toString());
    op.put("schemaVersion", 1).put("terminalId", TERMINAL).put("sequence", 1);
    ObjectNode file = Fixtures.dayFile(TERMINAL, keys.getPublic(), op);
    return Contracts.mapper().writeValueAsString(DayFiles.seal(file, keys.getPrivate()));
  }

  /** One part and the closing boundary, as a browser sends a form with one field. */
  private static byte[] part(String name, String fileName, String content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String head =
        "--"
            + BOUNDARY
            + "\r\nContent-Disposition: form-data; name=\""
            + name
            + "\""
            + (fileName == null ? "" : "; filename=\"" + fileName + "\"")
            + "\r\n"
            + (fileName == null ? "" : "Content-Type: application/json\r\n")
            + "\r\n";
    out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(content.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private HttpResponse<String> upload(String login, byte[] body) throws Exception {
    return send(login, "multipart/form-data; boundary=" + BOUNDARY, body, null);
  }

  private HttpResponse<String> send(String login, String contentType, byte[] body, String origin)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/imports"))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (login != null) {
      b.header("Authorization", CentralApi.basic(login));
    }
    if (origin != null) {
      b.header("Origin", origin);
    }
    return CentralApi.send(b.build());
  }

  private static JsonNode json(HttpResponse<String> res, int status) throws Exception {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
    return Contracts.mapper().readTree(res.body());
  }

  /** The problem's detail, after checking status and media type. */
  private static String problem(HttpResponse<String> res, int status) throws Exception {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
    assertThat(res.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    return Contracts.mapper().readTree(res.body()).path("detail").asText();
  }
}
