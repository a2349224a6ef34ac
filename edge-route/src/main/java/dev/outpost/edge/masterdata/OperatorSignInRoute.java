package dev.outpost.edge.masterdata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.MasterDataSets;
import dev.outpost.contracts.PinHash;
import dev.outpost.edge.http.HttpHeaders;
import dev.outpost.edge.http.ProblemException;
import dev.outpost.edge.http.ProblemRouteConfiguration;
import dev.outpost.support.ProblemResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Staff sign-in on the terminal, offline: {@code POST /api/v1/operators/sign-in} with {@code
 * {"operatorId":"cashier-1","pin":"1234"}} checks the PIN against the hash central sent down with
 * the operators set (only hashes ever travel). 200 with the operator's name and roles, or 401
 * without telling which of id and PIN was wrong. Wrong PINs are throttled per operator and per
 * client address ({@link OperatorLockouts}): while locked out, every attempt, a right PIN too, gets
 * 429 with {@code Retry-After}. {@code DELETE /api/v1/operators/{id}/lockout} (ops login, see
 * EdgeSecurityConfiguration) lifts a lockout: 204.
 */
@Component
public class OperatorSignInRoute extends RouteBuilder {
  public static final String SIGN_IN = "direct:operator-sign-in";
  public static final String LIFT_LOCKOUT = "direct:operator-lift-lockout";
  private static final Pattern LOCKOUT_PATH = Pattern.compile(".*/operators/([^/]{1,64})/lockout");

  private final MasterDataStore store;
  private final OperatorLockouts lockouts;

  public OperatorSignInRoute(MasterDataStore store, OperatorLockouts lockouts) {
    this.store = store;
    this.lockouts = lockouts;
  }

  @Override
  public void configure() {
    from(SIGN_IN)
        .routeId("operator-sign-in")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*", HttpHeaders.INBOUND_ALLOWED)
        .id("sign-in-keep-allowed-headers")
        .process(this::signIn)
        .id("check-pin-and-sign-in");

    from(LIFT_LOCKOUT)
        .routeId("operator-lift-lockout")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*", HttpHeaders.INBOUND_ALLOWED)
        .id("lift-lockout-keep-allowed-headers")
        .process(this::liftLockout)
        .id("lift-lockout-answer-204");
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
      throw new ProblemException(
          400, "bad-request", "Bad request", "operatorId and pin are required");
    }
    String address = HttpHeaders.clientAddress(e);
    Optional<Duration> locked = lockouts.lockedFor(id, address);
    if (locked.isPresent()) {
      throw tooManyAttempts(locked.get());
    }
    Optional<ObjectNode> operator = store.find(MasterDataSets.OPERATORS, id);
    boolean ok =
        operator.isPresent()
            && operator.get().path("active").asBoolean(true)
            && !operator.get().path("deleted").asBoolean(false)
            && PinHash.matches(pin, operator.get().path("pinHash").asText(null));
    if (!ok) {
      lockouts.wrongPin(id, address);
      throw new ProblemException(
          401, "sign-in-refused", "Sign-in refused", "unknown operator or wrong PIN");
    }
    lockouts.signedIn(id);
    ObjectNode answer = Contracts.mapper().createObjectNode();
    answer.put("operatorId", id);
    answer.put("name", operator.get().path("name").asText());
    answer.set(
        "roles",
        Contracts.mapper().valueToTree(operator.get().path("roles").asText("").split(",")));
    answer.put("signedInAt", Instant.now().toString());
    HttpHeaders.respondJson(e, 200, Contracts.mapper().writeValueAsString(answer));
  }

  private void liftLockout(Exchange e) {
    // The id comes from the path the container parsed, not from a header a client could add.
    String path = e.getMessage().getHeader(Exchange.HTTP_URI, String.class);
    Matcher m = LOCKOUT_PATH.matcher(path == null ? "" : path);
    if (!m.matches()) {
      throw new ProblemException(
          400, "bad-request", "Bad request", "DELETE /api/v1/operators/{id}/lockout");
    }
    lockouts.lift(m.group(1), HttpHeaders.clientAddress(e));
    e.getMessage().removeHeaders("*");
    e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
    e.getMessage().setBody(null);
  }

  private static ProblemException tooManyAttempts(Duration wait) {
    return new ProblemException(
            429,
            "sign-in-locked",
            "Too many wrong PINs",
            "Sign-in is locked for a while after repeated wrong PINs; try again later or ask a supervisor to lift it.")
        .retryAfter(ProblemResponse.retryAfterSeconds(wait));
  }
}
