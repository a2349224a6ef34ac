package dev.outpost.system.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The slow link of {@link LinkProxy}: bandwidth, latency without per-packet stalls, counters. */
class LinkProxyShapingTest {
  private static final long BITS_PER_SECOND = 256_000;
  private static final Duration ONE_WAY = Duration.ofMillis(150);

  private ServerSocket echo;
  private LinkProxy link;
  private Socket client;

  @BeforeEach
  void echoBehindTheLink() throws IOException {
    echo = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              try (Socket s = echo.accept();
                  InputStream in = s.getInputStream();
                  OutputStream out = s.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException ignored) {
                // test over
              }
            },
            "echo");
    t.setDaemon(true);
    t.start();
    link = new LinkProxy(echo.getLocalPort());
    client = new Socket(InetAddress.getLoopbackAddress(), link.port());
    roundTrip(1); // the connection is up before the clock starts
  }

  @AfterEach
  void close() throws IOException {
    client.close();
    link.close();
    echo.close();
  }

  @Test
  void oneByteTakesTheRoundTripLatency() throws IOException {
    link.shape(BITS_PER_SECOND, ONE_WAY);
    // Upper bounds leave room for a loaded build machine; what they must catch is far outside.
    assertThat(roundTrip(1)).as("seconds for one byte there and back").isBetween(0.30, 0.60);

    link.unshape();
    assertThat(roundTrip(1)).isLessThan(0.05);
  }

  @Test
  void bulkIsPacedByTheBandwidthAndPipelined() throws IOException {
    int bytes = 32_000; // one second of sending at 256 kbit/s
    link.shape(BITS_PER_SECOND, ONE_WAY);
    long up0 = link.bytesUpstream();
    long down0 = link.bytesDownstream();

    double seconds = roundTrip(bytes);

    // Both ways send at once (the echo answers the first packet while the rest is on its way), so
    // it is one serialisation, one round trip and one packet; latency paid per packet would take
    // seconds more (3.3 s measured), no pacing far less.
    double expected = bytes * 8.0 / BITS_PER_SECOND + 2 * ONE_WAY.toNanos() / 1e9;
    assertThat(seconds)
        .as("seconds for %d bytes there and back", bytes)
        .isBetween(expected, expected + 0.8);
    assertThat(link.bytesUpstream() - up0).as("bytes counted upstream").isEqualTo(bytes);
    assertThat(link.bytesDownstream() - down0).as("bytes counted downstream").isEqualTo(bytes);
  }

  /** Sends {@code bytes} through the link and reads them back: seconds taken. */
  private double roundTrip(int bytes) throws IOException {
    byte[] data = new byte[bytes];
    long t0 = System.nanoTime();
    client.getOutputStream().write(data);
    client.getOutputStream().flush();
    new DataInputStream(client.getInputStream()).readFully(data);
    return (System.nanoTime() - t0) / 1e9;
  }
}
