package dev.outpost.central.deadletter;

import dev.outpost.central.api.Actors;
import dev.outpost.contracts.Contracts;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Registers {@link DeadLettersMBean} under the fixed name {@code dev.outpost:type=DeadLetters}.
 * Registered by hand rather than with Spring's exporter, which appends an identity to every name
 * when {@code spring.jmx.unique-names} is on; consoles and docs need a stable name. Actions are
 * audited with actor "jmx" (plus the Jolokia user when Spring Security knows it).
 */
@Component
public class DeadLettersJmx implements DeadLettersMBean, InitializingBean, DisposableBean {
  public static final String OBJECT_NAME = "dev.outpost:type=DeadLetters";

  private final DeadLetterService service;
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private ObjectName name;

  public DeadLettersJmx(DeadLetterService service) {
    this.service = service;
  }

  @Override
  public void afterPropertiesSet() throws Exception {
    name = new ObjectName(OBJECT_NAME);
    if (server.isRegistered(name)) {
      server.unregisterMBean(name); // a previous context in the same JVM (tests)
    }
    server.registerMBean(new StandardMBean(this, DeadLettersMBean.class), name);
  }

  @Override
  public void destroy() throws Exception {
    if (name != null && server.isRegistered(name)) {
      server.unregisterMBean(name);
    }
  }

  @Override
  public long getDepth() {
    return service.list(DeadLetterFilter.ALL, 0, 1).total();
  }

  @Override
  public String list(String reason, String terminal, int offset, int limit) {
    return json(
        service.list(
            DeadLetterFilter.parse(reason, terminal, null, null, null),
            offset,
            limit <= 0 ? 50 : limit));
  }

  @Override
  public String show(String id) {
    return json(service.get(id).orElse(null));
  }

  @Override
  public String replay(String id) {
    return json(service.replay(id, null, Actors.current("jmx")));
  }

  @Override
  public String replayReason(String reason) {
    return json(
        service.replayReason(
            DeadLetterFilter.parse(reason, null, null, null, null).reason(),
            Actors.current("jmx")));
  }

  @Override
  public String discard(String id, String why) {
    return json(service.discard(id, why, Actors.current("jmx")));
  }

  private static String json(Object o) {
    try {
      return Contracts.mapper().writeValueAsString(o);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
