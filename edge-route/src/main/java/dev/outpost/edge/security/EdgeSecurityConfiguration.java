package dev.outpost.edge.security;

import dev.outpost.support.JolokiaGuardFilter;
import dev.outpost.support.LoginThrottle;
import dev.outpost.support.LoginThrottleFilter;
import dev.outpost.support.Users;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.HeaderWriterFilter;

/**
 * Who may reach what on the terminal. The POS API ({@code /api/v1/**}), the operator page and the
 * health probes stay open: the HTTP port is bound to 127.0.0.1 and used by the till itself.
 * Jolokia, Prometheus and the other actuator endpoints need an integrator's login (ops or viewer);
 * so does lifting an operator's sign-in lockout (ops). Repeated wrong logins get 429 (login
 * throttle); in Jolokia a viewer only reads (dev.outpost.support.JolokiaRoleRestrictor). Host,
 * Origin, media type and flood rules run before this chain: see dev.outpost.edge.http.HttpGuards.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({Users.class, LoginThrottle.Settings.class})
public class EdgeSecurityConfiguration {

  /**
   * No Micrometer observation around each security filter: on a till they cost more than the
   * filters themselves on every POS request (JFR, docs/performance.md); request metrics come from
   * the HTTP server's own timer.
   */
  @Bean
  SecurityObservationSettings noSecurityObservations() {
    return SecurityObservationSettings.noObservations();
  }

  @Bean
  SecurityFilterChain edgeSecurity(HttpSecurity http, LoginThrottle.Settings throttle)
      throws Exception {
    http.authorizeHttpRequests(
            a ->
                a.requestMatchers(HttpMethod.DELETE, "/api/v1/operators/*/lockout")
                    .hasRole(Users.OPS)
                    .requestMatchers(
                        "/api/**", "/", "/index.html", "/operator/**", "/favicon.ico", "/error")
                    .permitAll()
                    .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
                    .permitAll()
                    .requestMatchers("/actuator/**")
                    .hasAnyRole(Users.OPS, Users.VIEWER)
                    .anyRequest()
                    .denyAll())
        .httpBasic(Customizer.withDefaults())
        // Security headers are written before the request is handled, not when the response is
        // committed: Camel's platform-http writes the response from its own thread, and Spring
        // Security writing headers on commit from the request thread at the same moment corrupted
        // Tomcat's header table (NPE in MimeHeaders, connection closed with no answer).
        .headers(
            h ->
                h.withObjectPostProcessor(
                    new ObjectPostProcessor<HeaderWriterFilter>() {
                      @Override
                      public <O extends HeaderWriterFilter> O postProcess(O filter) {
                        filter.setShouldWriteHeadersEagerly(true);
                        return filter;
                      }
                    }))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        // No browser session carries rights to the open POS API; Jolokia clients send basic auth.
        .csrf(c -> c.disable())
        .addFilterBefore(
            new LoginThrottleFilter(new LoginThrottle(throttle, Clock.systemUTC())),
            BasicAuthenticationFilter.class)
        .addFilterAfter(new JolokiaGuardFilter(), AuthorizationFilter.class);
    return http.build();
  }

  @Bean
  UserDetailsService edgeUsers(Users config) {
    return config.userDetails();
  }
}
