package dev.outpost.broker;

import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the terminal's own inbound address exists at central before the bridge needs it.
 *
 * <p>A core bridge will not forward to an address that does not exist yet (it logs AMQ222097 and
 * retries), and central's queue is bound to {@code outpost.ops.in.*} by wildcard, so nothing would
 * ever create {@code outpost.ops.in.<terminal>}. The terminal creates it on first contact, over its
 * own outward connection and with its own credentials; it keeps trying in the background until
 * central answers.
 */
final class ForwardingAddressRegistrar implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ForwardingAddressRegistrar.class);

  private final String centralUrl;
  private final String user;
  private final String password;
  private final SimpleString address;
  private volatile boolean stopped;

  ForwardingAddressRegistrar(String centralUrl, String user, String password, String address) {
    this.centralUrl = centralUrl;
    this.user = user == null || user.isEmpty() ? null : user;
    this.password = password == null || password.isEmpty() ? null : password;
    this.address = SimpleString.of(address);
  }

  Thread startInBackground() {
    Thread t = new Thread(this, "outpost-register-" + address);
    t.setDaemon(true);
    t.start();
    return t;
  }

  void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    long backoffMillis = 500;
    while (!stopped) {
      try {
        ensureAddress();
        LOG.info("Inbound address {} is present at central", address);
        return;
      } catch (Exception e) {
        LOG.debug("Central not reachable yet for registering {}: {}", address, e.toString());
      }
      try {
        TimeUnit.MILLISECONDS.sleep(backoffMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      backoffMillis = Math.min(backoffMillis * 2, 10_000);
    }
  }

  private void ensureAddress() throws Exception {
    try (ServerLocator locator = ActiveMQClient.createServerLocator(centralUrl);
        ClientSessionFactory factory = locator.setCallTimeout(10_000).createSessionFactory();
        ClientSession session =
            factory.createSession(user, password, false, true, true, false, 0)) {
      if (!session.addressQuery(address).isExists()) {
        session.createAddress(address, RoutingType.ANYCAST, true);
      }
    }
  }
}
