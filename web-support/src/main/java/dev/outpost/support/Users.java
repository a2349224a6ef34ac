package dev.outpost.support;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * The people's logins of every app (central, terminal, console), from {@code
 * outpost.security.users}: name, password and role (ops or viewer). A password without an {@code
 * {id}} prefix is plain text; the role becomes Spring's {@code ROLE_<ROLE>}. Each app enables it
 * with {@code @EnableConfigurationProperties(Users.class)} and serves {@link #userDetails()}.
 */
@ConfigurationProperties("outpost.security")
public record Users(List<Login> users) {
  /** May change things (admin API writes, Jolokia exec and write). */
  public static final String OPS = "OPS";

  /** May read (admin API reads, Jolokia reads, metrics). */
  public static final String VIEWER = "VIEWER";

  public record Login(String name, String password, String role) {}

  public Users {
    users = users == null ? List.of() : List.copyOf(users);
  }

  /** The logins as Spring Security users, for the app's {@code UserDetailsService}. */
  public InMemoryUserDetailsManager userDetails() {
    InMemoryUserDetailsManager manager = new InMemoryUserDetailsManager();
    for (Login u : users) {
      String pw = u.password().startsWith("{") ? u.password() : "{noop}" + u.password();
      manager.createUser(
          User.withUsername(u.name()).password(pw).roles(u.role().toUpperCase()).build());
    }
    return manager;
  }
}
