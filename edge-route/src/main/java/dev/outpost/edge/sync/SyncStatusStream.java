package dev.outpost.edge.sync;

import dev.outpost.edge.http.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The sync status as server-sent events ({@code GET /api/v1/sync/status/stream}): the document of
 * {@link SyncStatusDocument} as an event {@code status} when the stream opens and whenever it
 * changed (looked at every second, built at most once a second for all streams together), and a
 * comment line after {@code streamHeartbeat} without one.
 *
 * <p>Camel's platform-http answers a request when its route returns, so the route's thread (one of
 * the HTTP worker threads, Spring's task executor) writes the stream itself for as long as it is
 * open; {@link StatusStreamConfiguration} adds {@code streamsMax} threads to that pool, and one
 * stream more is answered 503 with Retry-After. A stream ends when the page goes away (the next
 * write fails), after {@link #MAX_LIFE} (the page reconnects), and at once when the application
 * closes, before the web server's graceful shutdown would wait for it.
 */
@Component
public class SyncStatusStream {
  public static final String MEDIA_TYPE = "text/event-stream";
  static final Duration CHECK = Duration.ofSeconds(1);

  /** A stream is closed after this long and the browser opens a new one. */
  static final Duration MAX_LIFE = Duration.ofHours(1);

  /** The servlet container's async timeout for a stream: never before {@link #MAX_LIFE}. */
  static final long ASYNC_TIMEOUT_MS = MAX_LIFE.plusMinutes(5).toMillis();

  static final long RETRY_AFTER_SECONDS = 10;

  /** What the browser waits before reconnecting after the stream ended. */
  static final long RECONNECT_MS = 3000;

  private static final Logger LOG = LoggerFactory.getLogger(SyncStatusStream.class);

  private final SyncStatusDocument document;
  private final StatusStreamSettings settings;
  private final Semaphore slots;
  private final AtomicInteger open = new AtomicInteger();
  private final Object tick = new Object();
  private volatile boolean closing;

  private String latest;
  private long latestAt;

  public SyncStatusStream(SyncStatusDocument document, StatusStreamSettings settings) {
    this.document = document;
    this.settings = settings;
    this.slots = new Semaphore(settings.streamsMax());
  }

  /** Streams open now. */
  public int open() {
    return open.get();
  }

  /** Serves one stream on the calling thread until it ends; 503 when all slots are taken. */
  void serve(Exchange exchange) throws Exception {
    if (closing) {
      throw new ProblemException(
              503, "shutting-down", "Shutting down", "The terminal is stopping; retry later.")
          .retryAfter(RETRY_AFTER_SECONDS);
    }
    if (!slots.tryAcquire()) {
      throw new ProblemException(
              503,
              "too-many-streams",
              "Too many status streams",
              settings.streamsMax()
                  + " status streams are open (OUTPOST_OPERATOR_STREAMS_MAX); poll"
                  + " GET /api/v1/sync/status or retry later.")
          .retryAfter(RETRY_AFTER_SECONDS);
    }
    try {
      PlatformHttpMessage http = exchange.getIn(PlatformHttpMessage.class);
      if (http == null || http.getResponse() == null) {
        throw new IllegalStateException("the status stream needs an HTTP exchange");
      }
      // Built before anything is written: a failure here is still an ordinary problem answer.
      String first = current();
      open.incrementAndGet();
      try {
        stream(http.getRequest(), http.getResponse(), first);
      } finally {
        open.decrementAndGet();
      }
    } finally {
      slots.release();
    }
    // The answer is written; Camel finds nothing more to send.
    exchange.getMessage().removeHeaders("*");
    exchange.getMessage().setBody(null);
  }

  private void stream(HttpServletRequest request, HttpServletResponse response, String first) {
    long start = System.nanoTime();
    try {
      response.setStatus(200);
      response.setContentType(MEDIA_TYPE);
      response.setCharacterEncoding("UTF-8");
      response.setHeader("Cache-Control", "no-store");
      // A reverse proxy in front of the terminal must not buffer the stream.
      response.setHeader("X-Accel-Buffering", "no");
      OutputStream out = response.getOutputStream();
      write(out, "retry: " + RECONNECT_MS + "\n\n" + event(first));
      String last = first;
      long lastWrite = System.nanoTime();
      long heartbeat = settings.streamHeartbeat().toNanos();
      while (!closing && System.nanoTime() - start < MAX_LIFE.toNanos()) {
        keepOpen(request);
        awaitTick();
        if (closing) {
          break;
        }
        String doc;
        try {
          doc = current();
        } catch (RuntimeException e) {
          LOG.warn("status stream: status could not be built ({}); stream ended", e.toString());
          break;
        }
        if (!doc.equals(last)) {
          write(out, event(doc));
          last = doc;
          lastWrite = System.nanoTime();
        } else if (System.nanoTime() - lastWrite >= heartbeat) {
          write(out, ": heartbeat\n\n");
          lastWrite = System.nanoTime();
        }
      }
    } catch (IOException e) {
      // The page went away (closed, reloaded): nothing to tell anyone.
      LOG.debug("status stream: client gone ({})", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IllegalStateException e) {
      // The container already ended the request (its async timeout).
      LOG.debug("status stream: request ended by the container ({})", e.toString());
    }
  }

  /**
   * The container's async timeout (30 s by default) would end the stream with an error; it is set
   * to outlast {@link #MAX_LIFE} once the request is in async mode (again on every tick, in case a
   * configured default was applied after the first).
   */
  private static void keepOpen(HttpServletRequest request) {
    if (request.isAsyncStarted()) {
      request.getAsyncContext().setTimeout(ASYNC_TIMEOUT_MS);
    }
  }

  private void awaitTick() throws InterruptedException {
    synchronized (tick) {
      if (!closing) {
        TimeUnit.MILLISECONDS.timedWait(tick, CHECK.toMillis());
      }
    }
  }

  /** The document as JSON, built at most once per {@link #CHECK} whatever the number of streams. */
  private synchronized String current() {
    long now = System.nanoTime();
    if (latest == null || now - latestAt >= CHECK.toNanos() - 50_000_000L) {
      latest = document.json();
      latestAt = now;
    }
    return latest;
  }

  static String event(String json) {
    // JSON written by Contracts.mapper() is one line; a line break would end the data field.
    return "event: status\ndata: " + json.replace("\r", "").replace("\n", "\ndata: ") + "\n\n";
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /**
   * Ends every stream as soon as the application starts closing: before Camel waits for in-flight
   * exchanges and before Tomcat's graceful shutdown waits for open requests.
   */
  @EventListener(ContextClosedEvent.class)
  public void close() {
    closing = true;
    synchronized (tick) {
      tick.notifyAll();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (open.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
