package dev.outpost.edge.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Fixtures;
import dev.outpost.edge.broker.OutboundMonitor;
import dev.outpost.edge.http.ApiDocumentRoute;
import dev.outpost.edge.ingest.OperationIds;
import dev.outpost.edge.ledger.LedgerStore;
import dev.outpost.support.OpenApiContract;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** HTTP and broker helpers shared by the edge's Spring Boot tests. */
public abstract class EdgeTestSupport {
  /** The terminal's OpenAPI document as the tests' oracle. */
  public static final OpenApiContract API = OpenApiContract.of(ApiDocumentRoute.RESOURCE);

  protected static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @LocalServerPort protected int port;
  @Autowired protected LedgerStore store;
  @Autowired protected OutboundMonitor outbound;

  public static Path tempDataDir(String name) {
    try {
      Files.createDirectories(Path.of("target"));
      return Files.createTempDirectory(Path.of("target"), name + "-").toAbsolutePath();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Something that may throw, for static initializers. */
  public interface Checked<T> {
    T get() throws Exception;
  }

  public static <T> T unchecked(Checked<T> c) {
    try {
      return c.get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  protected URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  protected HttpResponse<String> post(String body) throws Exception {
    return send(
        HttpRequest.newBuilder(uri("/api/v1/operations"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  protected HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  /**
   * Sends and checks the answer against the terminal's OpenAPI document (path, method, status,
   * media type, JSON body schema): every edge test that talks HTTP through here checks the document
   * too.
   */
  protected static HttpResponse<String> send(HttpRequest request) throws Exception {
    return API.check(request, HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  protected static JsonNode json(String text) throws IOException {
    return Contracts.mapper().readTree(text);
  }

  /** A valid fixture with a fresh operation id, so tests never collide on idempotency. */
  protected static ObjectNode freshValid(String fixture) {
    ObjectNode doc = Fixtures.valid(fixture);
    doc.put("operationId", OperationIds.newV7().toString());
    return doc;
  }

  protected long ledgerRows() {
    return store.counts().total();
  }

  /** The messages in the terminal's outbound lanes, critical first, each lane in queue order. */
  protected static List<Message> browseOutbound(String inVmId) throws Exception {
    ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory("vm://" + inVmId);
    try (cf;
        Connection c = cf.createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      List<Message> out = new ArrayList<>();
      for (dev.outpost.contracts.Lane lane : dev.outpost.contracts.Lane.values()) {
        QueueBrowser browser =
            s.createBrowser(s.createQueue(dev.outpost.contracts.Destinations.outbound(lane)));
        for (Object m : Collections.list(browser.getEnumeration())) {
          out.add((Message) m);
        }
      }
      return out;
    }
  }
}
