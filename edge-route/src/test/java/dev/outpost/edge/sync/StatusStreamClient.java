package dev.outpost.edge.sync;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test's reader of {@code GET /api/v1/sync/status/stream}: the answer's head at once, then the
 * stream's events ({@code status} data, heartbeats as {@code ":heartbeat"}) as they arrive, read on
 * a thread of its own until the server ends the stream or {@link #close()}.
 */
public final class StatusStreamClient implements AutoCloseable {
  public static final String HEARTBEAT = ":heartbeat";

  private final HttpResponse<InputStream> response;
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final StringBuilder raw = new StringBuilder();

  private StatusStreamClient(HttpResponse<InputStream> response) {
    this.response = response;
    Thread reader = new Thread(this::read, "status-stream-client");
    reader.setDaemon(true);
    reader.start();
  }

  public static StatusStreamClient open(HttpClient http, URI uri) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri).header("Accept", SyncStatusStream.MEDIA_TYPE).GET().build();
    return new StatusStreamClient(http.send(request, HttpResponse.BodyHandlers.ofInputStream()));
  }

  public int status() {
    return response.statusCode();
  }

  public String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** The next event's data (or {@link #HEARTBEAT}); null when none came within {@code wait}. */
  public String next(Duration wait) throws InterruptedException {
    return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the server ended the stream (end of the body) within {@code wait}. */
  public boolean endedWithin(Duration wait) throws InterruptedException {
    return ended.await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Everything read so far, as sent (a non-200 answer's whole body once it ended). */
  public synchronized String raw() {
    return raw.toString();
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      StringBuilder data = new StringBuilder();
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (this) {
          raw.append(line).append('\n');
        }
        if (line.startsWith("data: ")) {
          data.append(data.isEmpty() ? "" : "\n").append(line.substring(6));
        } else if (line.startsWith(":")) {
          events.add(HEARTBEAT);
        } else if (line.isEmpty() && !data.isEmpty()) {
          events.add(data.toString());
          data.setLength(0);
        }
      }
    } catch (IOException e) {
      // closed by the test, or the server went away
    } finally {
      ended.countDown();
    }
  }

  @Override
  public void close() throws IOException {
    response.body().close();
  }
}
