package dev.outpost.central.security;

import dev.outpost.broker.security.TerminalSecrets;
import dev.outpost.central.enrollment.EnrollmentRepository;
import dev.outpost.contracts.TerminalIds;
import dev.outpost.support.JolokiaGuardFilter;
import dev.outpost.support.JsonBodyFilter;
import dev.outpost.support.LoginThrottle;
import dev.outpost.support.LoginThrottleFilter;
import dev.outpost.support.ProblemResponse;
import dev.outpost.support.Users;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.NoOpPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Central's HTTP side needs a login except for the health probes: the admin API ({@code
 * /api/v1/**}: ops may change, viewer may read), Jolokia (the console; viewers cannot exec or
 * write, by Jolokia's per-role policy: dev.outpost.support.JolokiaRoleRestrictor) and Prometheus.
 * HTTP basic, stateless: callers are the console, scrapers, the command line and scripts. Repeated
 * wrong logins for a user or from an address get 429 (login throttle); API bodies must be JSON
 * (415), but for the day-file upload, which also takes multipart.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({Users.class, LoginThrottle.Settings.class})
public class CentralSecurityConfiguration {
  private static final String TERMINAL_SECRET = "outpost-terminal";

  /**
   * An enrolled terminal, logged in with its enrollment credential: master-data sync and its own
   * key.
   */
  public static final String TERMINAL = "TERMINAL";

  @Bean
  SecurityFilterChain centralSecurity(HttpSecurity http, LoginThrottle.Settings throttle)
      throws Exception {
    http.authorizeHttpRequests(
            a ->
                a.requestMatchers(
                        "/actuator/health", "/actuator/health/**", "/actuator/info", "/error")
                    .permitAll()
                    .requestMatchers(HttpMethod.GET, "/api/v1/masterdata-sync/**")
                    .hasAnyRole(Users.OPS, Users.VIEWER, TERMINAL)
                    .requestMatchers(HttpMethod.PUT, "/api/v1/terminals/*/key")
                    .hasAnyRole(Users.OPS, TERMINAL)
                    .requestMatchers(HttpMethod.GET, "/api/**")
                    .hasAnyRole(Users.OPS, Users.VIEWER)
                    .requestMatchers(HttpMethod.HEAD, "/api/**")
                    .hasAnyRole(Users.OPS, Users.VIEWER)
                    .requestMatchers("/api/**")
                    .hasRole(Users.OPS)
                    .requestMatchers("/actuator/**")
                    .hasAnyRole(Users.OPS, Users.VIEWER)
                    .anyRequest()
                    .denyAll())
        // Refusals are problem+json like every other answer of the API (the admin API document).
        .httpBasic(b -> b.authenticationEntryPoint(CentralSecurityConfiguration::unauthorized))
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(CentralSecurityConfiguration::unauthorized)
                    .accessDeniedHandler(
                        (request, response, denied) ->
                            ProblemResponse.send(
                                response,
                                403,
                                "forbidden",
                                "Forbidden",
                                "this login's role may not do this")))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        // Stateless basic auth, no cookies: there is no session a forged cross-site request could
        // ride.
        .csrf(c -> c.disable())
        .addFilterBefore(
            new LoginThrottleFilter(new LoginThrottle(throttle, Clock.systemUTC())),
            BasicAuthenticationFilter.class)
        .addFilterAfter(new JolokiaGuardFilter(), AuthorizationFilter.class)
        .addFilterAfter(new TerminalSelfFilter(), AuthorizationFilter.class)
        // After the login check: an anonymous caller learns nothing but 401.
        .addFilterAfter(new JsonBodyFilter("/api/", "/api/v1/imports"), AuthorizationFilter.class);
    return http.build();
  }

  /** 401 with the Basic challenge (the console and curl prompt for a login on it). */
  private static void unauthorized(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    response.setHeader("WWW-Authenticate", "Basic realm=\"outpost-central\"");
    ProblemResponse.send(response, 401, "unauthorized", "Unauthorized", "log in (HTTP basic)");
  }

  /** People from {@code outpost.security.users}, then the enrolled terminals from PostgreSQL. */
  @Bean
  UserDetailsService centralUsers(Users config, EnrollmentRepository enrollments) {
    InMemoryUserDetailsManager people = config.userDetails();
    return name -> {
      if (people.userExists(name)) {
        return people.loadUserByUsername(name);
      }
      String hash =
          TerminalIds.isValid(name) ? enrollments.activeCredential(name).orElse(null) : null;
      if (hash == null) {
        throw new UsernameNotFoundException("no such login");
      }
      return User.withUsername(name)
          .password("{" + TERMINAL_SECRET + "}" + hash)
          .roles(TERMINAL)
          .build();
    };
  }

  /** Spring's usual password formats plus the terminals' {@code sha256:} secret hashes. */
  @Bean
  PasswordEncoder passwordEncoder() {
    Map<String, PasswordEncoder> encoders = new HashMap<>();
    encoders.put("bcrypt", new BCryptPasswordEncoder());
    encoders.put("noop", NoOpPasswordEncoder.getInstance());
    encoders.put(
        TERMINAL_SECRET,
        new PasswordEncoder() {
          @Override
          public String encode(CharSequence raw) {
            return TerminalSecrets.hash(raw.toString());
          }

          @Override
          public boolean matches(CharSequence raw, String stored) {
            return TerminalSecrets.matches(raw.toString(), stored);
          }
        });
    return new DelegatingPasswordEncoder("bcrypt", encoders);
  }
}
