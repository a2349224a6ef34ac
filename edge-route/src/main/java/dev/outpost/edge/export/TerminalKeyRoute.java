package dev.outpost.edge.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.DayFiles;
import dev.outpost.edge.config.EdgeProperties;
import dev.outpost.edge.http.HttpHeaders;
import dev.outpost.edge.http.ProblemRouteConfiguration;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** GET /api/v1/terminal/key: the public key day files are signed with, to register at central. */
@Component
public class TerminalKeyRoute extends RouteBuilder {
  public static final String URI = "direct:terminal-key";

  private final TerminalKeys keys;
  private final EdgeProperties props;

  public TerminalKeyRoute(TerminalKeys keys, EdgeProperties props) {
    this.keys = keys;
    this.props = props;
  }

  @Override
  public void configure() {
    from(URI)
        .routeId("terminal-key")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*", HttpHeaders.INBOUND_ALLOWED)
        .id("terminal-key-keep-allowed-headers")
        .process(this::key)
        .id("answer-terminal-key");
  }

  private void key(Exchange exchange) throws Exception {
    ObjectNode doc = Contracts.mapper().createObjectNode();
    doc.put("terminalId", props.terminalId());
    doc.put("algorithm", DayFiles.KEY_ALGORITHM);
    doc.put("publicKey", keys.publicKeyBase64());
    doc.put("fingerprint", keys.fingerprint());
    HttpHeaders.respondJson(exchange, 200, Contracts.mapper().writeValueAsString(doc));
  }
}
