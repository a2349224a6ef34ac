package dev.outpost.broker;

import dev.outpost.broker.security.OutpostSecurityManager;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.BridgeConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.ConfigurationUtils;
import org.apache.activemq.artemis.core.config.ha.SharedStoreBackupPolicyConfiguration;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.cluster.Bridge;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;
import org.apache.activemq.artemis.utils.XMLUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

/**
 * Starts an embedded Artemis broker from one of the broker.xml files of this module ({@link
 * Role#EDGE} or {@link Role#CENTRAL}).
 *
 * <p>Artemis itself turns an unresolved {@code ${name}} into an empty string without a word, so
 * placeholders are resolved here first: from the given settings, then system properties, then
 * environment variables, then the {@code :default}. A name with no value and no default stops
 * start-up with an error that names it. The resolved file is written beside the broker's data so an
 * operator can see exactly what runs.
 */
public final class EmbeddedBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
  private static final String REDACTED = "******";

  /** The edge broker.xml's connector to central; the bridges name it. */
  static final String CENTRAL_CONNECTOR = "central";

  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)(?::([^}]*))?}");

  /** Which broker.xml to load. */
  public enum Role {
    EDGE("outpost-broker/edge/broker.xml"),
    CENTRAL("outpost-broker/central/broker.xml");

    final String resource;

    Role(String resource) {
      this.resource = resource;
    }
  }

  private final ActiveMQServer server;
  private final ForwardingAddressRegistrar registrar;

  private final ActiveMQSecurityManager securityManager;

  private EmbeddedBroker(
      ActiveMQServer server,
      ForwardingAddressRegistrar registrar,
      ActiveMQSecurityManager securityManager) {
    this.server = server;
    this.registrar = registrar;
    this.securityManager = securityManager;
  }

  /**
   * Starts the broker. {@code settings} must hold {@code dataDir}; the edge also needs {@code
   * terminalId} and {@code centralBrokerUrl}. {@code brokerXml}, when set, is a file to load
   * instead of the role's broker.xml from the classpath.
   */
  public static EmbeddedBroker start(Role role, Map<String, String> settings) throws Exception {
    if (role == Role.CENTRAL) {
      throw new IllegalArgumentException("central's broker needs its security manager");
    }
    // The edge broker has only an in-VM acceptor and security off: nothing outside this process
    // reaches it.
    return start(role, settings, new ActiveMQJAASSecurityManager());
  }

  /**
   * Starts the broker with the given security manager. Settings whose name ends in {@code Password}
   * are secrets: the broker gets them, the file written for operators shows {@code ******} instead.
   */
  public static EmbeddedBroker start(
      Role role, Map<String, String> settings, ActiveMQSecurityManager securityManager)
      throws Exception {
    return start(role, settings, securityManager, c -> {});
  }

  /**
   * As {@link #start(Role, Map, ActiveMQSecurityManager)}, letting {@code customizer} add to the
   * parsed configuration before the broker starts (the central broker process adds its HA policy
   * there, so broker.xml stays the one file for the embedded and the standalone broker). A
   * shared-store backup is not waited for: it activates only when its primary goes away.
   */
  public static EmbeddedBroker start(
      Role role,
      Map<String, String> given,
      ActiveMQSecurityManager securityManager,
      Consumer<Configuration> customizer)
      throws Exception {
    Map<String, String> settings = role == Role.EDGE ? withBridgeBackoff(given) : given;
    // brokerXml: the same file mounted from outside (a Kubernetes ConfigMap made from this one).
    String external = settings.get("brokerXml");
    String template =
        external == null || external.isBlank()
            ? readResource(role.resource)
            : Files.readString(Path.of(external), StandardCharsets.UTF_8);
    String resolved = resolve(template, name -> lookup(settings, name));
    String redacted = resolve(template, name -> isSecret(name) ? REDACTED : lookup(settings, name));
    Path dataDir = Path.of(settings.get("dataDir"));
    Files.createDirectories(dataDir);
    // Two brokers of a shared-store pair share the data dir: each names its own file.
    String resolvedName = settings.getOrDefault("resolvedFileName", "broker.resolved.xml");
    Path file = dataDir.resolve(resolvedName);
    Files.writeString(file, redacted, StandardCharsets.UTF_8);

    // Parsed from memory, so no secret is ever written to disk.
    FileConfiguration configuration = new FileConfiguration();
    Element root = XMLUtil.stringToElement(resolved);
    Element core = (Element) root.getElementsByTagName(configuration.getRootElement()).item(0);
    XMLUtil.validate(core, configuration.getSchema());
    configuration.parse(core, file.toUri().toURL());
    // The file on disk is the redacted copy for people: Artemis must never reload it (it would
    // read "******" as the key store password and lose the acceptor).
    configuration.setConfigurationFileRefreshPeriod(-1);
    if (role == Role.EDGE) {
      bridgeToEveryCentralBroker(configuration, lookup(settings, "centralBrokerUrl"));
    }
    customizer.accept(configuration);
    boolean backup =
        configuration.getHAPolicyConfiguration() instanceof SharedStoreBackupPolicyConfiguration;

    ActiveMQServer server =
        new ActiveMQServerImpl(
            configuration, ManagementFactory.getPlatformMBeanServer(), securityManager);
    server.start();
    if (backup) {
      LOG.info("Broker {} started as a shared-store backup", configuration.getName());
    } else if (!server.waitForActivation(60, java.util.concurrent.TimeUnit.SECONDS)) {
      server.stop();
      throw new IllegalStateException("broker " + configuration.getName() + " did not activate");
    }
    LOG.info("Embedded broker {} started from {}", configuration.getName(), file);
    if (securityManager instanceof OutpostSecurityManager outpost) {
      outpost.attach(server);
    }
    ForwardingAddressRegistrar registrar = null;
    if (role == Role.EDGE) {
      registrar =
          new ForwardingAddressRegistrar(
              lookup(settings, "centralBrokerUrl"),
              lookup(settings, "centralUser"),
              lookup(settings, "centralPassword"),
              "outpost.ops.in." + lookup(settings, "terminalId"));
      registrar.startInBackground();
    }
    return new EmbeddedBroker(server, registrar, securityManager);
  }

  /**
   * A terminal may be given several central brokers ({@code (tcp://a:61616,tcp://b:61616)?...}, an
   * HA pair without a load-balanced address in front). broker.xml's parser keeps only the first
   * broker of such a connector, so the list is parsed here into one connector per broker ({@code
   * central}, {@code central:tcp://b...}, the query and its TLS settings applied to each) and every
   * bridge to central names them all, in the list's order. A bridge retries its current broker
   * {@code reconnect-attempts-same-node} times (10) and then moves along the list.
   */
  static void bridgeToEveryCentralBroker(Configuration configuration, String centralUrl) {
    if (centralUrl == null || !centralUrl.trim().startsWith("(")) {
      return;
    }
    List<String> names = new ArrayList<>();
    for (TransportConfiguration t :
        ConfigurationUtils.parseConnectorURI(CENTRAL_CONNECTOR, centralUrl)) {
      configuration.getConnectorConfigurations().put(t.getName(), t);
      names.add(t.getName());
    }
    for (BridgeConfiguration bridge : configuration.getBridgeConfigurations()) {
      if (List.of(CENTRAL_CONNECTOR).equals(bridge.getStaticConnectors())) {
        bridge.setStaticConnectors(new ArrayList<>(names));
      }
    }
    LOG.info("Bridges to central try {} brokers in turn: {}", names.size(), names);
  }

  /** The terminal's own spread of the bridge reconnect schedule, unless set explicitly. */
  static Map<String, String> withBridgeBackoff(Map<String, String> settings) {
    Map<String, String> out = new java.util.HashMap<>(settings);
    String terminal = lookup(settings, "terminalId");
    if (lookup(settings, "bridgeRetryMillis") == null) {
      out.put("bridgeRetryMillis", String.valueOf(BridgeBackoff.retryMillis(terminal)));
    }
    if (lookup(settings, "bridgeMaxRetryMillis") == null) {
      out.put(
          "bridgeMaxRetryMillis",
          String.valueOf(
              BridgeBackoff.maxRetryMillis(terminal, BridgeBackoff.BASE_MAX_RETRY_MILLIS)));
    }
    return out;
  }

  private static boolean isSecret(String name) {
    return name.endsWith("Password");
  }

  /** Replaces every {@code ${name[:default]}}; fails naming all the names that had no value. */
  static String resolve(String template, Function<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    Set<String> missing = new LinkedHashSet<>();
    while (m.find()) {
      String value = values.apply(m.group(1));
      if (value == null) {
        value = m.group(2);
      }
      if (value == null) {
        missing.add(m.group(1));
        value = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(escapeXml(value)));
    }
    m.appendTail(out);
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "broker configuration needs a value for: " + String.join(", ", missing));
    }
    return out.toString();
  }

  private static String lookup(Map<String, String> settings, String name) {
    String v = settings.get(name);
    if (v == null || v.isEmpty()) {
      v = System.getProperty(name);
    }
    if (v == null || v.isEmpty()) {
      v = System.getenv(name);
    }
    return v == null || v.isEmpty() ? null : v;
  }

  private static String escapeXml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String readResource(String resource) throws IOException {
    try (InputStream in = EmbeddedBroker.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing " + resource + " on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public ActiveMQServer server() {
    return server;
  }

  /** The core bridge of that name, if this broker has one. */
  public Bridge bridge(String name) {
    return server.getClusterManager().getBridges().get(name);
  }

  @Override
  public void close() throws Exception {
    if (registrar != null) {
      registrar.stop();
    }
    if (securityManager instanceof OutpostSecurityManager outpost) {
      outpost.detach();
    }
    server.stop();
  }
}
