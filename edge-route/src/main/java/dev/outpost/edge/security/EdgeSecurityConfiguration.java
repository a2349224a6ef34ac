package dev.outpost.edge.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import dev.outpost.support.JolokiaGuardFilter;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

/**
 * Who may reach what on the terminal. The POS API ({@code /api/v1/**}), the operator page and
 * the health probes stay open: the HTTP port is bound to 127.0.0.1 and used by the till itself.
 * Jolokia, Prometheus and the other actuator endpoints need an integrator's login (ops or viewer).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EdgeSecurityConfiguration.Users.class)
public class EdgeSecurityConfiguration {
  public static final String OPS = "OPS";
  public static final String VIEWER = "VIEWER";

  /** Logins from {@code outpost.security.users}; a password without {id} prefix is plain text. */
  @ConfigurationProperties("outpost.security")
  public record Users(List<Login> users) {
    public record Login(String name, String password, String role) {}
  }

  @Bean
  SecurityFilterChain edgeSecurity(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(
            a ->
                a.requestMatchers("/api/**", "/", "/index.html", "/operator/**", "/favicon.ico", "/error")
                    .permitAll()
                    .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
                    .permitAll()
                    .requestMatchers("/actuator/**")
                    .hasAnyRole(OPS, VIEWER)
                    .anyRequest()
                    .denyAll())
        .httpBasic(Customizer.withDefaults())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        // No browser session carries rights to the open POS API; Jolokia clients send basic auth.
        .csrf(c -> c.disable())
        .addFilterAfter(new JolokiaGuardFilter(OPS), AuthorizationFilter.class);
    return http.build();
  }

  @Bean
  UserDetailsService edgeUsers(Users config) {
    InMemoryUserDetailsManager manager = new InMemoryUserDetailsManager();
    if (config.users() != null) {
      for (Users.Login u : config.users()) {
        String pw = u.password().startsWith("{") ? u.password() : "{noop}" + u.password();
        manager.createUser(User.withUsername(u.name()).password(pw).roles(u.role().toUpperCase()).build());
      }
    }
    return manager;
  }
}
