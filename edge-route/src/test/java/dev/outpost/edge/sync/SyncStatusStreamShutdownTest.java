package dev.outpost.edge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.edge.EdgeApplication;
import dev.outpost.edge.support.EdgeTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole terminal closed while a page follows its status stream: the stream ends at once, neither
 * Tomcat's graceful shutdown nor Camel's waits for it (both would, for 30 and 45 s), and nothing is
 * logged as an error.
 */
@ExtendWith(OutputCaptureExtension.class)
class SyncStatusStreamShutdownTest {
  static final Path DATA = EdgeTestSupport.tempDataDir("status-stream-shutdown");

  @Test
  void closingTheTerminalEndsItsStreamsAtOnceAndCleanly(CapturedOutput output) throws Exception {
    ConfigurableApplicationContext app =
        new SpringApplicationBuilder(EdgeApplication.class)
            .properties(
                "server.port=0",
                "outpost.terminal-id=till-stream-stop",
                "outpost.data-dir=" + DATA,
                "outpost.broker.in-vm-id=42",
                "outpost.central.broker-url=tcp://127.0.0.1:" + EdgeTestSupport.freePort(),
                "outpost.central.http-url=http://127.0.0.1:" + EdgeTestSupport.freePort(),
                "spring.jmx.unique-names=true")
            .run();
    boolean closed = false;
    try {
      int port = ((ServletWebServerApplicationContext) app).getWebServer().getPort();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      try (StatusStreamClient page =
          StatusStreamClient.open(
              http, URI.create("http://127.0.0.1:" + port + "/api/v1/sync/status/stream"))) {
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.next(Duration.ofSeconds(10))).isNotNull();
        int mark = output.length();

        long start = System.nanoTime();
        app.close();
        closed = true;
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).as("shutdown with a stream open").isLessThan(Duration.ofSeconds(10));
        assertThat(page.endedWithin(Duration.ofSeconds(2))).isTrue();
        String log = output.toString().substring(mark);
        assertThat(log).contains("Graceful shutdown complete");
        assertThat(log)
            .doesNotContain(" ERROR ")
            .doesNotContain("AsyncRequestTimeoutException")
            .doesNotContain("Failed writing HTTP response")
            .doesNotContain("SyncStatusStream");
      }
    } finally {
      if (!closed) {
        app.close();
      }
    }
  }
}
