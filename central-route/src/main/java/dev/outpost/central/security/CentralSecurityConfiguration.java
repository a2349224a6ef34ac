package dev.outpost.central.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
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
 * Central's HTTP side needs a login except for the health probes: the admin API
 * ({@code /api/v1/**}: ops may change, viewer may read), Jolokia (the console; viewers cannot
 * exec or write) and Prometheus. HTTP basic, stateless: callers are the console, scrapers, the
 * command line and scripts.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CentralSecurityConfiguration.Users.class)
public class CentralSecurityConfiguration {
  public static final String OPS = "OPS";
  public static final String VIEWER = "VIEWER";

  /** Logins from {@code outpost.security.users}; a password without {id} prefix is plain text. */
  @ConfigurationProperties("outpost.security")
  public record Users(List<Login> users) {
    public record Login(String name, String password, String role) {}
  }

  @Bean
  SecurityFilterChain centralSecurity(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(
            a ->
                a.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/error")
                    .permitAll()
                    .requestMatchers(HttpMethod.GET, "/api/**")
                    .hasAnyRole(OPS, VIEWER)
                    .requestMatchers(HttpMethod.HEAD, "/api/**")
                    .hasAnyRole(OPS, VIEWER)
                    .requestMatchers("/api/**")
                    .hasRole(OPS)
                    .requestMatchers("/actuator/**")
                    .hasAnyRole(OPS, VIEWER)
                    .anyRequest()
                    .denyAll())
        .httpBasic(Customizer.withDefaults())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        // Stateless basic auth, no cookies: there is no session a forged cross-site request could ride.
        .csrf(c -> c.disable())
        .addFilterAfter(new JolokiaGuardFilter(OPS), AuthorizationFilter.class);
    return http.build();
  }

  @Bean
  UserDetailsService centralUsers(Users config) {
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
