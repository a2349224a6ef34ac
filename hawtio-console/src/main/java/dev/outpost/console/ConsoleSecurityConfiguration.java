package dev.outpost.console;

import dev.outpost.support.Users;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * No anonymous access: everything but the health probes needs a login (Spring's form login page, or
 * HTTP basic for scripts). Hawtio reads the logged-in user through its JAAS bridge ({@code
 * io.hawt.springboot.security.HawtioSpringSecurityLoginModule}). CSRF protection stays on with the
 * cookie/header pair the Hawtio front end sends.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(Users.class)
public class ConsoleSecurityConfiguration {

  /** The console's own Jolokia and Hawtio's proxy to the remote agents. */
  static final String[] JOLOKIA_PATHS = {
    "/actuator/jolokia/**", "/actuator/hawtio/proxy/**", "/actuator/hawtio/jolokia/**"
  };

  @Bean
  SecurityFilterChain consoleSecurity(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(
            a ->
                a.requestMatchers("/actuator/health", "/actuator/health/**", "/error")
                    .permitAll()
                    .anyRequest()
                    .hasAnyRole(Users.OPS, Users.VIEWER))
        .formLogin(f -> f.defaultSuccessUrl("/actuator/hawtio/", false))
        .httpBasic(Customizer.withDefaults())
        // Hawtio's logout goes through Spring so the session really ends.
        .logout(l -> l.logoutUrl("/actuator/hawtio/auth/logout").logoutSuccessUrl("/login?logout"))
        .csrf(
            c ->
                c.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                    .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                    // Hawtio's Jolokia client sends no CSRF token; these paths are guarded by
                    // SameOriginFilter instead (a cross-site request always carries its Origin).
                    .ignoringRequestMatchers(JOLOKIA_PATHS))
        .addFilterAfter(new CsrfCookieFilter(), BasicAuthenticationFilter.class)
        .addFilterBefore(new SameOriginFilter(JOLOKIA_PATHS), BasicAuthenticationFilter.class);
    return http.build();
  }

  @Bean
  UserDetailsService consoleUsers(Users config) {
    return config.userDetails();
  }

  /**
   * Loads the deferred CSRF token on every request so its cookie is always there for the front end.
   */
  static final class CsrfCookieFilter extends OncePerRequestFilter {
    @Override
    protected void doFilterInternal(
        jakarta.servlet.http.HttpServletRequest request,
        jakarta.servlet.http.HttpServletResponse response,
        jakarta.servlet.FilterChain chain)
        throws jakarta.servlet.ServletException, java.io.IOException {
      CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
      if (token != null) {
        token.getToken();
      }
      chain.doFilter(request, response);
    }
  }
}
