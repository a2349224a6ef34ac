package dev.outpost.system.harness;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** A JMS client of central's broker, as a terminal (or an intruder) would connect to it. */
public final class Broker {
  private final String url;

  public Broker(String url) {
    this.url = url;
  }

  public record Received(String body, Map<String, Object> properties) {
    public String property(String name) {
      Object v = properties.get(name);
      return v == null ? null : v.toString();
    }
  }

  /** Sends a persistent text message straight to an address, bypassing any edge. */
  public void sendText(String address, String body, Map<String, String> properties) {
    try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url);
        Connection c = cf.createConnection();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
      Queue q = s.createQueue(address);
      try (MessageProducer p = s.createProducer(q)) {
        TextMessage m = s.createTextMessage(body);
        for (Map.Entry<String, String> e : properties.entrySet()) {
          m.setStringProperty(e.getKey(), e.getValue());
        }
        p.send(m);
      }
    } catch (JMSException e) {
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
        Connection c = cf.createConnection();
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
