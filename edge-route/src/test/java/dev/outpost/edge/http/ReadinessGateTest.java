package dev.outpost.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ReadinessGateTest {
  private final ReadinessGate gate = new ReadinessGate();

  @Test
  void beforeTheAppIsReadyEveryApiRequestIs503WithRetryAfter() throws Exception {
    MockHttpServletResponse res = call("POST", "/api/v1/operations");
    assertThat(res.getStatus()).isEqualTo(503);
    assertThat(res.getHeader("Retry-After")).isEqualTo("1");
    assertThat(res.getContentType()).startsWith("application/problem+json");
    assertThat(res.getContentAsString()).contains("/problems/starting").contains("nothing was");
    assertThat(call("GET", "/").getStatus()).isEqualTo(503);
  }

  @Test
  void healthProbesPassWhileStartingAndEverythingPassesOnceReady() throws Exception {
    assertThat(call("GET", "/actuator/health/readiness").getStatus()).isEqualTo(200);
    gate.onApplicationEvent(
        new ApplicationReadyEvent(new SpringApplication(), new String[0], null, null));
    assertThat(call("POST", "/api/v1/operations").getStatus()).isEqualTo(200);
  }

  private MockHttpServletResponse call(String method, String path) throws Exception {
    MockHttpServletRequest req = new MockHttpServletRequest(method, path);
    MockHttpServletResponse res = new MockHttpServletResponse();
    gate.doFilter(req, res, new MockFilterChain());
    return res;
  }
}
