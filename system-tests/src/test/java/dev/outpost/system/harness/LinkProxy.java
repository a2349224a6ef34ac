package dev.outpost.system.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on loopback between an edge's bridge and central's broker, under the test's control:
 * {@link #cut()} drops every connection and refuses new ones (the link is down), {@link #restore()}
 * lets them through again.
 *
 * <p>{@link #blackHole(Direction)} is the nastier fault of a real network: every TCP connection
 * stays open and new ones are accepted, but the bytes of the chosen direction are read and silently
 * dropped, so neither end hears anything (no FIN, no RST) until its own timeouts fire. {@link
 * #restore()} heals it: connections that lived through the black hole are then reset (TCP never
 * drops bytes in the middle of a stream, so a healed path answers the stale connection with a RST
 * once the peers have timed out), and new connections pass normally.
 *
 * <p>{@link #shape(long, Duration)} makes it a slow link (a till on mobile data): each direction is
 * shared by all connections, sends at most the given bits per second and delivers each packet the
 * given one-way latency after its last bit left, so packets in flight pipeline as on a real link.
 * {@link #bytesUpstream()} and {@link #bytesDownstream()} count what each direction delivered.
 */
public final class LinkProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LinkProxy.class);

  /** Which bytes a black hole swallows. */
  public enum Direction {
    /** Both ways: the link passes nothing. */
    BOTH,
    /**
     * Central to terminal only: central receives what the terminal sends, but its answers and
     * confirmations never come back.
     */
    DOWNSTREAM
  }

  private enum Mode {
    OPEN,
    CUT,
    BLACK_HOLE,
    BLACK_HOLE_DOWNSTREAM
  }

  private final int upstreamPort;
  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

  /** Sockets that were open at some time during a black hole: reset when it heals. */
  private final Set<Socket> tainted = ConcurrentHashMap.newKeySet();

  private volatile Mode mode = Mode.OPEN;
  private volatile boolean closed;

  /** Null while the link is as fast as loopback. */
  private volatile Shape shape;

  private final Wire up = new Wire();
  private final Wire down = new Wire();

  /** Bandwidth and one-way latency of each direction. */
  private record Shape(long bitsPerSecond, long latencyNanos) {}

  /** TCP payload of one full segment on a 1500-byte MTU path (with timestamps). */
  private static final int PACKET = 1448;

  /**
   * The bottleneck queue a mobile link keeps (about a second of sending): beyond it the proxy stops
   * reading, so the sender feels TCP backpressure instead of an endless buffer.
   */
  private static final long QUEUE_NANOS = TimeUnit.SECONDS.toNanos(1);

  public LinkProxy(int upstreamPort) {
    this.upstreamPort = upstreamPort;
    try {
      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Ports.free()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Thread t = new Thread(this::acceptLoop, "link-proxy-" + port());
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  public String url() {
    return "tcp://127.0.0.1:" + port();
  }

  public synchronized void cut() {
    mode = Mode.CUT;
    sockets.forEach(LinkProxy::closeQuietly);
    sockets.clear();
    tainted.clear();
    LOG.info("link {} -> {} cut", port(), upstreamPort);
  }

  /** Keeps every connection open and drops the bytes of {@code direction} until restored. */
  public synchronized void blackHole(Direction direction) {
    mode = direction == Direction.BOTH ? Mode.BLACK_HOLE : Mode.BLACK_HOLE_DOWNSTREAM;
    tainted.addAll(sockets);
    LOG.info("link {} -> {} black-holed ({})", port(), upstreamPort, direction);
  }

  /** Lets bytes through again; connections that lived through a black hole are reset. */
  public synchronized void restore() {
    Mode before = mode;
    // Reset the stale connections before bytes pass again: none may resume with a hole in it.
    int reset = tainted.size();
    tainted.forEach(LinkProxy::closeQuietly);
    sockets.removeAll(tainted);
    tainted.clear();
    mode = Mode.OPEN;
    LOG.info(
        "link {} -> {} restored (was {}, {} stale sockets reset)",
        port(),
        upstreamPort,
        before,
        reset);
  }

  /**
   * From now on each direction sends at most {@code bitsPerSecond} and delivers a packet {@code
   * oneWayLatency} after it was sent (a round trip of twice that). Applies to open connections too.
   */
  public void shape(long bitsPerSecond, Duration oneWayLatency) {
    if (bitsPerSecond <= 0 || oneWayLatency.isNegative()) {
      throw new IllegalArgumentException(bitsPerSecond + " bit/s, " + oneWayLatency);
    }
    shape = new Shape(bitsPerSecond, oneWayLatency.toNanos());
    LOG.info(
        "link {} -> {} shaped: {} bit/s, {} one way",
        port(),
        upstreamPort,
        bitsPerSecond,
        oneWayLatency);
  }

  /** As fast as loopback again (packets already on the slow link still arrive first). */
  public void unshape() {
    shape = null;
    LOG.info("link {} -> {} no longer shaped", port(), upstreamPort);
  }

  /** Bytes delivered terminal to central (the bridge's sends, TLS included) since the start. */
  public long bytesUpstream() {
    return up.delivered.get();
  }

  /** Bytes delivered central to terminal (confirmations, receipts, changes) since the start. */
  public long bytesDownstream() {
    return down.delivered.get();
  }

  private boolean drops(boolean upstream) {
    Mode m = mode;
    return m == Mode.BLACK_HOLE || (m == Mode.BLACK_HOLE_DOWNSTREAM && !upstream);
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("proxy accept failed", e);
        }
        return;
      }
      if (mode == Mode.CUT) {
        closeQuietly(client);
        continue;
      }
      if (mode == Mode.BLACK_HOLE) {
        // The far end is unreachable: the connection is accepted here and goes nowhere.
        synchronized (this) {
          sockets.add(client);
          tainted.add(client);
        }
        swallow(client);
        continue;
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 2000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(upstream);
        continue;
      }
      synchronized (this) {
        if (mode == Mode.CUT) { // cut while this connection was being set up
          closeQuietly(client);
          closeQuietly(upstream);
          continue;
        }
        sockets.add(client);
        sockets.add(upstream);
        if (mode != Mode.OPEN) {
          tainted.add(client);
          tainted.add(upstream);
        }
      }
      pump(client, upstream, true);
      pump(upstream, client, false);
    }
  }

  /** Reads and drops everything a connection into the black hole sends. */
  private void swallow(Socket s) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 * 1024];
              try (InputStream in = s.getInputStream()) {
                while (in.read(buf) >= 0) {
                  // dropped
                }
              } catch (IOException ignored) {
                // reset on restore, or the client gave up
              } finally {
                closeQuietly(s);
                sockets.remove(s);
                tainted.remove(s);
              }
            },
            "link-black-hole");
    t.setDaemon(true);
    t.start();
  }

  private void pump(Socket from, Socket to, boolean upstream) {
    Wire wire = upstream ? up : down;
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 * 1024];
              DelayLine line = null;
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  if (mode == Mode.CUT) {
                    break;
                  }
                  if (drops(upstream)) {
                    // Black hole: read so the sender never blocks, pass nothing.
                    continue;
                  }
                  Shape s = shape;
                  if (s == null && (line == null || line.idle())) {
                    wire.delivered.addAndGet(n); // before the write: whoever has them sees them
                    out.write(buf, 0, n);
                    out.flush();
                    continue;
                  }
                  if (line == null) {
                    line = new DelayLine(out, wire.delivered);
                  }
                  for (int off = 0; off < n; off += PACKET) {
                    int len = Math.min(PACKET, n - off);
                    byte[] packet = Arrays.copyOfRange(buf, off, off + len);
                    if (s == null) { // unshaped while packets are still on the slow link
                      line.add(packet, System.nanoTime());
                      continue;
                    }
                    long sent = wire.send(len, s.bitsPerSecond());
                    line.add(packet, sent + s.latencyNanos());
                    long ahead = sent - System.nanoTime() - QUEUE_NANOS;
                    if (ahead > 0) {
                      TimeUnit.NANOSECONDS.sleep(ahead);
                    }
                  }
                }
                if (line != null) {
                  line.finish(); // what is on the wire arrives before the close
                }
              } catch (IOException ignored) {
                // the other side went away or the link was cut
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                // The far end hears of a close only while bytes pass (a black hole hides it too;
                // restore() resets such a connection).
                if (!drops(upstream)) {
                  closeQuietly(to);
                }
                closeQuietly(from);
                sockets.remove(from);
                sockets.remove(to);
              }
            },
            "link-pump");
    t.setDaemon(true);
    t.start();
  }

  /** One direction of the link, shared by its connections. */
  private static final class Wire {
    final AtomicLong delivered = new AtomicLong();
    private long freeAt = Long.MIN_VALUE;

    /** Queues {@code bytes} behind what is already sending: the time their last bit has left. */
    synchronized long send(int bytes, long bitsPerSecond) {
      freeAt =
          Math.max(freeAt, System.nanoTime())
              + bytes * 8L * TimeUnit.SECONDS.toNanos(1) / bitsPerSecond;
      return freeAt;
    }
  }

  /**
   * One direction of one connection while shaped: packets wait for their arrival time in order, on
   * a thread of their own, so the reader goes on sending the next ones meanwhile.
   */
  private static final class DelayLine {
    private record Packet(byte[] bytes, long arrivesAt) {}

    private static final Packet END = new Packet(new byte[0], 0);

    private final BlockingQueue<Packet> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Thread writer;
    private volatile boolean broken;

    DelayLine(OutputStream out, AtomicLong delivered) {
      writer =
          new Thread(
              () -> {
                try {
                  for (Packet p = queue.take(); p != END; p = queue.take()) {
                    for (long wait = p.arrivesAt() - System.nanoTime();
                        wait > 0;
                        wait = p.arrivesAt() - System.nanoTime()) {
                      LockSupport.parkNanos(wait);
                    }
                    delivered.addAndGet(p.bytes().length);
                    out.write(p.bytes());
                    out.flush();
                    inFlight.decrementAndGet();
                  }
                } catch (IOException | InterruptedException e) {
                  broken = true; // the connection was closed or cut
                }
              },
              "link-delay");
      writer.setDaemon(true);
      writer.start();
    }

    /** True when nothing is on the slow link: a direct write keeps the order. */
    boolean idle() {
      return inFlight.get() == 0;
    }

    void add(byte[] packet, long arrivesAt) throws IOException {
      if (broken) {
        throw new IOException("connection closed");
      }
      inFlight.incrementAndGet();
      queue.add(new Packet(packet, arrivesAt));
    }

    /** Returns once every packet has arrived (or the connection is gone). */
    void finish() throws InterruptedException {
      queue.add(END);
      writer.join();
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    closed = true;
    cut();
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
