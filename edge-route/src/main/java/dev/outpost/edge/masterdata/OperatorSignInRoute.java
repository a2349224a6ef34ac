package dev.outpost.edge.masterdata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.MasterDataSets;
import dev.outpost.contracts.PinHash;
import dev.outpost.edge.http.HttpHeaders;
import dev.outpost.edge.http.ProblemException;
import dev.outpost.edge.http.ProblemRouteConfiguration;
import dev.outpost.edge.http.RestApiRoute;
import java.time.Instant;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Staff sign-in on the terminal, offline: {@code POST /api/v1/operators/sign-in} with
 * {@code {"operatorId":"cashier-1","pin":"1234"}} checks the PIN against the hash central sent down
 * with the operators set (only hashes ever travel). 200 with the operator's name and roles, or 401
 * without telling which of id and PIN was wrong.
 */
@Component
public class OperatorSignInRoute extends RouteBuilder {
  static final String SIGN_IN = "direct:operator-sign-in";

  private final MasterDataStore store;

  public OperatorSignInRoute(MasterDataStore store) {
    this.store = store;
  }

  @Override
  public void configure() {
    rest(RestApiRoute.BASE).post("/operators/sign-in").id("rest-operator-sign-in").to(SIGN_IN);

    from(SIGN_IN)
        .routeId("operator-sign-in")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*", HttpHeaders.INBOUND_ALLOWED)
        .process(this::signIn);
  }

  private void signIn(Exchange e) throws Exception {
    String body = e.getMessage().getBody(String.class);
    JsonNode doc;
    try {
      doc = Contracts.mapper().readTree(body == null ? "" : body);
    } catch (Exception ex) {
      throw new ProblemException(400, "malformed-json", "Malformed JSON", "the body is not JSON");
    }
    String id = doc == null ? null : doc.path("operatorId").asText(null);
    String pin = doc == null ? null : doc.path("pin").asText(null);
    if (id == null || pin == null || id.isBlank() || id.length() > 64 || pin.length() > 200) {
      throw new ProblemException(400, "bad-request", "Bad request", "operatorId and pin are required");
    }
    Optional<ObjectNode> operator = store.find(MasterDataSets.OPERATORS, id);
    boolean ok =
        operator.isPresent()
            && operator.get().path("active").asBoolean(true)
            && !operator.get().path("deleted").asBoolean(false)
            && PinHash.matches(pin, operator.get().path("pinHash").asText(null));
    if (!ok) {
      throw new ProblemException(401, "sign-in-refused", "Sign-in refused", "unknown operator or wrong PIN");
    }
    ObjectNode answer = Contracts.mapper().createObjectNode();
    answer.put("operatorId", id);
    answer.put("name", operator.get().path("name").asText());
    answer.set("roles", Contracts.mapper().valueToTree(operator.get().path("roles").asText("").split(",")));
    answer.put("signedInAt", Instant.now().toString());
    HttpHeaders.respondJson(e, 200, Contracts.mapper().writeValueAsString(answer));
  }
}
