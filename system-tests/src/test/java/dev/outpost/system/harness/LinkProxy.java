package dev.outpost.system.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 * 1024];
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
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException ignored) {
                // the other side went away or the link was cut
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
