package dev.outpost.edge.http;

import dev.outpost.support.JsonBodyFilter;
import jakarta.servlet.Filter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The terminal's HTTP guards, in the order a request meets them, all before Spring Security and the
 * routes (a refused request reaches no route, so nothing is recorded):
 *
 * <ol>
 *   <li>{@link ReadinessGate}: 503 with Retry-After until the routes are up (start-up);
 *   <li>{@link HostCheckFilter}: Host must be this terminal (421), every path;
 *   <li>{@link ClientLimitFilter}: requests in flight per client address on /api/** (429);
 *   <li>{@link OriginCheckFilter}: a browser's state-changing request must come from the terminal's
 *       own page (403);
 *   <li>{@code JsonBodyFilter}: bodies on /api/** must be JSON (415).
 * </ol>
 *
 * Then Spring Security (logins, the login throttle, Jolokia's origin rule) and {@link
 * BodySizeLimitFilter} (413).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpGuardSettings.class)
public class HttpGuards {
  /** Before Spring Security's filter chain (-100). */
  static final int FIRST = Ordered.HIGHEST_PRECEDENCE + 100;

  @Bean
  LocalHosts localHosts(
      @Value("${server.address:}") String bindAddress, HttpGuardSettings settings) {
    return new LocalHosts(bindAddress, settings.allowedHosts());
  }

  @Bean
  ClientLimitFilter clientLimitFilter(HttpGuardSettings settings) {
    return new ClientLimitFilter(settings.maxInFlightPerClient());
  }

  @Bean
  ReadinessGate readinessGate() {
    return new ReadinessGate();
  }

  @Bean
  FilterRegistrationBean<ReadinessGate> readiness(ReadinessGate gate) {
    return register(gate, FIRST - 1);
  }

  @Bean
  FilterRegistrationBean<HostCheckFilter> hostCheck(LocalHosts hosts) {
    return register(new HostCheckFilter(hosts), FIRST);
  }

  @Bean
  FilterRegistrationBean<ClientLimitFilter> clientLimit(ClientLimitFilter filter) {
    return register(filter, FIRST + 1);
  }

  @Bean
  FilterRegistrationBean<OriginCheckFilter> originCheck(
      LocalHosts hosts, HttpGuardSettings settings) {
    return register(new OriginCheckFilter(hosts, settings.allowedOrigins()), FIRST + 2);
  }

  @Bean
  FilterRegistrationBean<JsonBodyFilter> jsonBody() {
    return register(new JsonBodyFilter(RestApiRoute.BASE + "/"), FIRST + 3);
  }

  private static <T extends Filter> FilterRegistrationBean<T> register(T filter, int order) {
    FilterRegistrationBean<T> r = new FilterRegistrationBean<>(filter);
    r.setOrder(order);
    return r;
  }
}
