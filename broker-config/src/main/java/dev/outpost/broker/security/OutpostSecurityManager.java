package dev.outpost.broker.security;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.security.auth.Subject;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.security.impl.SecurityStoreImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.NoCacheLoginException;
import org.apache.activemq.artemis.spi.core.security.jaas.RolePrincipal;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Central's broker security. Two kinds of users and no anonymous one:
 *
 * <ul>
 *   <li><b>service users</b> (central-route itself, ops): configured with a password, may do
 *       everything, management included;
 *   <li><b>terminals</b>: the enrolled fleet from a {@link TerminalDirectory}, each logging in as
 *       its terminal id with its enrollment secret, allowed only what {@link TerminalPermissions}
 *       grants on its own addresses.
 * </ul>
 *
 * <p>Artemis caches a successful login for {@code security-invalidation-interval}, so a revocation
 * would take that long and would not touch open connections. {@link #attach} starts a watcher that
 * polls the directory for revocations and, for each, drops the broker's login and permission caches
 * and closes the terminal's connections (its bridge then fails to log in again).
 *
 * <p>Artemis also authenticates an open session again whenever its login cache entry expired, on
 * the next message the session sends, and a send refused that way is <em>dropped</em> by the
 * terminal's core bridge (Artemis's bridge retries only an address-full refusal and acknowledges
 * every other one). So a directory outage (PostgreSQL restarting, connections terminated) must not
 * refuse a terminal the directory already confirmed: while the directory cannot answer, the
 * credential it last confirmed for that terminal is used (fail static). A terminal never confirmed
 * since start-up is still refused (without caching), and a revocation seen by the watcher forgets
 * the confirmed credential at once. Found by the fault matrix (FaultMatrixIT, pg_terminate_backend
 * mid-drain: every refused send was an acknowledged operation lost).
 */
public final class OutpostSecurityManager implements ActiveMQSecurityManager5 {
  private static final Logger LOG = LoggerFactory.getLogger(OutpostSecurityManager.class);
  public static final String SERVICE_ROLE = "outpost-service";
  public static final String TERMINAL_ROLE = "outpost-terminal";

  private final Map<String, String> serviceUsers;
  private final TerminalDirectory directory;
  private final Duration revocationPoll;
  private final Map<String, Instant> revocationsSeen = new ConcurrentHashMap<>();

  /**
   * The secret hash the directory last confirmed per terminal: used only while it cannot answer.
   */
  private final Map<String, String> confirmed = new ConcurrentHashMap<>();

  private ScheduledExecutorService watcher;

  /**
   * @param serviceUsers user name to password (plain, or {@code sha256:<hex>})
   * @param directory the enrolled terminals
   * @param revocationPoll how often the directory is asked for revocations
   */
  public OutpostSecurityManager(
      Map<String, String> serviceUsers, TerminalDirectory directory, Duration revocationPoll) {
    this.serviceUsers = Map.copyOf(serviceUsers);
    this.directory = directory;
    this.revocationPoll = revocationPoll;
  }

  @Override
  public Subject authenticate(
      String user, String password, RemotingConnection connection, String securityDomain)
      throws NoCacheLoginException {
    if (user == null || user.isEmpty() || password == null || password.isEmpty()) {
      return null;
    }
    String service = serviceUsers.get(user);
    if (service != null) {
      boolean ok =
          service.startsWith(TerminalSecrets.PREFIX)
              ? TerminalSecrets.matches(password, service)
              : java.security.MessageDigest.isEqual(
                  service.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                  password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return ok ? subject(user, SERVICE_ROLE) : null;
    }
    TerminalDirectory.Credential credential;
    try {
      credential = directory.find(user).orElse(null);
    } catch (RuntimeException e) {
      String known = confirmed.get(user);
      if (known != null && TerminalSecrets.matches(password, known)) {
        // Fail static: refusing now would make the terminal's bridge drop the message in hand.
        LOG.debug("Terminal directory unavailable ({}); {} keeps its confirmed login", e, user);
        return subject(user, TERMINAL_ROLE);
      }
      // Not the terminal's fault: do not let Artemis cache this as a failed login.
      throw new NoCacheLoginException("terminal directory unavailable: " + e.getMessage());
    }
    if (credential == null || credential.revoked()) {
      confirmed.remove(user);
      return null;
    }
    if (TerminalSecrets.matches(password, credential.secretHash())) {
      confirmed.put(user, credential.secretHash());
      return subject(user, TERMINAL_ROLE);
    }
    return null;
  }

  @Override
  public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
    if (subject == null) {
      return false;
    }
    if (hasRole(subject, SERVICE_ROLE)) {
      return true;
    }
    return hasRole(subject, TERMINAL_ROLE)
        && TerminalPermissions.allows(getUserFromSubject(subject), checkType, address);
  }

  /** Starts the revocation watcher for this broker (call after the server started). */
  public synchronized void attach(ActiveMQServer server) {
    if (watcher != null) {
      return;
    }
    watcher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "outpost-revocation-watcher");
              t.setDaemon(true);
              return t;
            });
    Instant start = Instant.now();
    long ms = revocationPoll.toMillis();
    watcher.scheduleWithFixedDelay(() -> closeRevoked(server, start), 0, ms, TimeUnit.MILLISECONDS);
  }

  public synchronized void detach() {
    if (watcher != null) {
      watcher.shutdownNow();
      watcher = null;
    }
  }

  private void closeRevoked(ActiveMQServer server, Instant start) {
    try {
      // A day of overlap: the database clock may differ from ours; seen ones are skipped.
      for (TerminalDirectory.Credential c :
          directory.revokedSince(start.minus(Duration.ofDays(1)))) {
        if (c.revokedAt().equals(revocationsSeen.get(c.terminalId()))) {
          continue;
        }
        revocationsSeen.put(c.terminalId(), c.revokedAt());
        confirmed.remove(c.terminalId());
        if (server.getSecurityStore() instanceof SecurityStoreImpl store) {
          store.invalidateAuthenticationCache();
          store.invalidateAuthorizationCache();
        }
        boolean closed = server.getActiveMQServerControl().closeConnectionsForUser(c.terminalId());
        LOG.info(
            "Terminal {} is revoked: logins refused{}",
            c.terminalId(),
            closed ? ", connections closed" : "");
      }
    } catch (Exception e) {
      LOG.debug("Revocation check failed (retried): {}", e.toString());
    }
  }

  private static Subject subject(String user, String role) {
    Subject s = new Subject();
    s.getPrincipals().add(new UserPrincipal(user));
    s.getPrincipals().add(new RolePrincipal(role));
    return s;
  }

  private static boolean hasRole(Subject subject, String role) {
    for (Principal p : subject.getPrincipals(RolePrincipal.class)) {
      if (role.equals(p.getName())) {
        return true;
      }
    }
    return false;
  }

  // The pre-Subject API is never used when ActiveMQSecurityManager5 is implemented.
  @Override
  public boolean validateUser(String user, String password) {
    throw new UnsupportedOperationException("use authenticate");
  }

  @Override
  public boolean validateUserAndRole(
      String user, String password, Set<Role> roles, CheckType checkType) {
    throw new UnsupportedOperationException("use authorize");
  }
}
