package dev.outpost.console;

import dev.outpost.support.ProblemResponse;
import dev.outpost.support.Users;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * No anonymous access: everything but the health probes needs a login (Spring's form login page, or
 * HTTP basic for scripts). Hawtio reads the logged-in user through its JAAS bridge ({@code
 * io.hawt.springboot.security.HawtioSpringSecurityLoginModule}). CSRF protection stays on with the
 * cookie/header pair the Hawtio front end sends (the ops pages send it too). The ops pages' calls
 * to central ({@code /ops/api/**}): reads for both roles, changes for ops only.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(Users.class)
public class ConsoleSecurityConfiguration {

  /** The console's own Jolokia and Hawtio's proxy to the remote agents. */
  static final String[] JOLOKIA_PATHS = {
    "/actuator/jolokia/**", "/actuator/hawtio/proxy/**", "/actuator/hawtio/jolokia/**"
  };

  /** The ops pages' way to central's admin API (dev.outpost.console.ops.CentralApiProxy). */
  static final String OPS_API = "/ops/api/**";

  @Bean
  SecurityFilterChain consoleSecurity(HttpSecurity http, UserDetailsService users)
      throws Exception {
    RequestMatcher opsApi = new AntPathRequestMatcher(OPS_API);
    http.authorizeHttpRequests(
            a ->
                a.requestMatchers("/actuator/health", "/actuator/health/**", "/error")
                    .permitAll()
                    .requestMatchers(HttpMethod.GET, OPS_API)
                    .hasAnyRole(Users.OPS, Users.VIEWER)
                    // Central refuses a viewer's change as well; the console does not even send it.
                    .requestMatchers(OPS_API)
                    .hasRole(Users.OPS)
                    .anyRequest()
                    .hasAnyRole(Users.OPS, Users.VIEWER))
        .authenticationManager(keepingLogins(users))
        // The pages' calls get problem+json, not the login page or a basic-auth prompt.
        .exceptionHandling(
            e ->
                e.defaultAuthenticationEntryPointFor(
                        (request, response, denied) ->
                            ProblemResponse.send(
                                response,
                                401,
                                "unauthorized",
                                "Unauthorized",
                                "the console session ended: reload the page and log in"),
                        opsApi)
                    .defaultAccessDeniedHandlerFor(
                        (request, response, denied) ->
                            ProblemResponse.send(
                                response,
                                403,
                                "forbidden",
                                "Forbidden",
                                "this login's role may not do this (viewers only read)"),
                        opsApi))
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
   * Spring's user check, but the session keeps the person's password: the ops pages call central's
   * admin API as that person (central's own roles and audit), and central takes only HTTP basic.
   * The password lives in the session's memory only (sessions are not persisted).
   */
  private static AuthenticationManager keepingLogins(UserDetailsService users) {
    DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
    ProviderManager manager = new ProviderManager(provider);
    manager.setEraseCredentialsAfterAuthentication(false);
    return manager;
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
