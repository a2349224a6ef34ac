package io.hawt.springboot.security;

import io.hawt.web.auth.AuthenticationConfiguration;
import io.hawt.web.auth.RolePrincipal;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.spi.LoginModule;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Hawtio 5's Spring Boot JAAS configuration names this class, which ships in {@code
 * hawtio-springboot-security} (not served here). Without it Hawtio's login fails and Jolokia
 * answers 403. It runs after Spring's {@code SecurityContextLoginModule} and turns each Spring role
 * of the logged-in user into a Hawtio role principal ({@code ROLE_OPS} → {@code OPS}), which Hawtio
 * checks against {@code hawtio.roles}.
 */
public class HawtioSpringSecurityLoginModule implements LoginModule {
  private Subject subject;
  private Class<? extends Principal> roleClass = RolePrincipal.class;

  @Override
  public void initialize(
      Subject subject, CallbackHandler handler, Map<String, ?> shared, Map<String, ?> options) {
    this.subject = subject;
    Object config = options.get(AuthenticationConfiguration.class.getName());
    if (config instanceof AuthenticationConfiguration c
        && c.getDefaultRolePrincipalClass() != null) {
      roleClass = c.getDefaultRolePrincipalClass();
    }
  }

  @Override
  public boolean login() {
    return true; // the Spring login already happened
  }

  @Override
  public boolean commit() throws javax.security.auth.login.LoginException {
    List<Authentication> users =
        subject.getPrincipals().stream()
            .filter(Authentication.class::isInstance)
            .map(Authentication.class::cast)
            .toList();
    for (Authentication user : users) {
      for (GrantedAuthority authority : user.getAuthorities()) {
        String role = authority.getAuthority();
        role = role.startsWith("ROLE_") ? role.substring(5) : role;
        try {
          subject.getPrincipals().add(roleClass.getConstructor(String.class).newInstance(role));
        } catch (ReflectiveOperationException e) {
          javax.security.auth.login.LoginException failure =
              new javax.security.auth.login.LoginException(
                  "cannot make role principal " + roleClass.getName());
          failure.initCause(e);
          throw failure;
        }
      }
    }
    return true;
  }

  @Override
  public boolean abort() {
    return false;
  }

  @Override
  public boolean logout() {
    return subject.getPrincipals().removeIf(p -> p.getClass() == roleClass);
  }
}
