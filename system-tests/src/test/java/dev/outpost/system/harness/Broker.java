package dev.outpost.system.harness;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** A JMS client of central's broker, as a terminal (or an intruder) would connect to it. */
public final class Broker {
  private final String url;
  private final String user;
  private final String password;
  private final String serviceUser;
  private final String servicePassword;

  /** Sends as {@code user}; browses as the service user (central-route's login). */
  public Broker(
      String url, String user, String password, String serviceUser, String servicePassword) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.serviceUser = serviceUser;
    this.servicePassword = servicePassword;
  }

  public record Received(String body, Map<String, Object> properties) {
    public String property(String name) {
      Object v = properties.get(name);
      return v == null ? null : v.toString();
    }
  }

  /**
   * Sends a persistent text message straight to an address, bypassing any edge, the way a
   * terminal's bridge delivers: with the core API to the address itself. (A JMS producer on a queue
   * named outpost.ops.in.&lt;t&gt; is refused by the client's destination check, since only the
   * wildcard-bound queue exists there.) Consumers see it as a JMS TextMessage.
   */
  public void sendText(String address, String body, Map<String, String> properties) {
    try (ServerLocator locator = ActiveMQClient.createServerLocator(url);
        ClientSessionFactory factory = locator.createSessionFactory();
        ClientSession session =
            factory.createSession(user, password, false, true, true, false, 0)) {
      // A core send does not create the address; a terminal's first message would, via its
      // bridge's registration. Create it as auto-created, subject to the broker's address settings.
      if (!session.addressQuery(SimpleString.of(address)).isExists()) {
        session.createAddress(SimpleString.of(address), RoutingType.ANYCAST, true);
      }
      ClientProducer producer = session.createProducer(address);
      ClientMessage m =
          session.createMessage(org.apache.activemq.artemis.api.core.Message.TEXT_TYPE, true);
      m.getBodyBuffer().writeNullableSimpleString(SimpleString.of(body));
      m.setRoutingType(RoutingType.ANYCAST);
      properties.forEach(m::putStringProperty);
      producer.send(m);
      producer.close();
    } catch (Exception e) {
      throw new IllegalStateException("send to " + address + " at " + url + " failed", e);
    }
  }

  private static String bodyOf(Message m) throws JMSException {
    if (m instanceof TextMessage t) {
      return t.getText();
    }
    if (m instanceof jakarta.jms.BytesMessage b) {
      byte[] bytes = new byte[(int) b.getBodyLength()];
      b.readBytes(bytes);
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
    return String.valueOf(m);
  }

  /** Looks at a queue's messages without consuming them. */
  public List<Received> browse(String queue) {
    List<Received> out = new ArrayList<>();
    try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url);
        Connection c = cf.createConnection(serviceUser, servicePassword);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
      c.start();
      try (QueueBrowser b = s.createBrowser(s.createQueue(queue))) {
        Enumeration<?> e = b.getEnumeration();
        while (e.hasMoreElements()) {
          Message m = (Message) e.nextElement();
          Map<String, Object> props = new LinkedHashMap<>();
          for (Object n : Collections.list(m.getPropertyNames())) {
            props.put((String) n, m.getObjectProperty((String) n));
          }
          String body = bodyOf(m);
          out.add(new Received(body, props));
        }
      }
    } catch (JMSException e) {
      throw new IllegalStateException("browse " + queue + " at " + url + " failed", e);
    }
    return out;
  }
}
