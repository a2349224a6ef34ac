package dev.outpost.edge.http;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The names this terminal answers to: loopback (127.0.0.1, localhost, [::1]), the machine's own
 * name and interface addresses, the bind address and {@code outpost.http.allowed-hosts}. A page
 * that reaches the terminal through a name of its own (DNS rebinding) sends a Host header that is
 * none of these. Computed once at start-up.
 */
public final class LocalHosts {
  private static final Logger LOG = LoggerFactory.getLogger(LocalHosts.class);
  private final Set<String> names;

  public LocalHosts(String bindAddress, List<String> extra) {
    Set<String> n = new HashSet<>(List.of("127.0.0.1", "localhost", "[::1]"));
    if (bindAddress != null && !bindAddress.isBlank()) {
      n.add(normalize(bindAddress.trim()));
    }
    try {
      InetAddress self = InetAddress.getLocalHost();
      n.add(normalize(self.getHostName()));
      n.add(normalize(self.getHostAddress()));
    } catch (UnknownHostException e) {
      LOG.debug("no local host name: {}", e.toString());
    }
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
          String text = a.getHostAddress();
          int zone = text.indexOf('%');
          n.add(normalize(zone < 0 ? text : text.substring(0, zone)));
        }
      }
    } catch (SocketException e) {
      LOG.debug("no network interfaces: {}", e.toString());
    }
    for (String h : extra) {
      n.add(normalize(h));
    }
    n.remove("0.0.0.0");
    n.remove("[::]");
    n.remove("[0:0:0:0:0:0:0:0]");
    this.names = Set.copyOf(n);
  }

  /** Whether the host part of a Host header value (port, if any, ignored) is one of ours. */
  public boolean allowsHostHeader(String hostHeader) {
    return names.contains(hostPart(hostHeader));
  }

  /** Whether the host (no port) is one of ours. */
  public boolean allowsHost(String host) {
    return names.contains(normalize(host));
  }

  /** {@code "[::1]:8081"} → {@code "[::1]"}, {@code "Till-1:8081"} → {@code "till-1"}. */
  static String hostPart(String hostHeader) {
    String h = hostHeader.trim();
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0
          ? h.toLowerCase(Locale.ROOT)
          : h.substring(0, end + 1).toLowerCase(Locale.ROOT);
    }
    int colon = h.indexOf(':');
    return normalize(colon < 0 ? h : h.substring(0, colon));
  }

  /** Lower case, no trailing dot, IPv6 literals in brackets. */
  static String normalize(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.contains(":") && !h.startsWith("[")) {
      h = "[" + h + "]";
    }
    return h;
  }
}
