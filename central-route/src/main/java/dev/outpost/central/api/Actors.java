package dev.outpost.central.api;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;

/**
 * Who is acting, for audit rows. Over HTTP: the authenticated principal (Spring Security wraps the
 * request). Over JMX (Jolokia): the user Spring Security authenticated on that thread, when Spring
 * Security is present, else the channel's name.
 */
public final class Actors {
  private Actors() {}

  public static String of(HttpServletRequest request) {
    Principal p = request.getUserPrincipal();
    return p != null && p.getName() != null ? p.getName() : "anonymous";
  }

  public static String current(String fallback) {
    try {
      Class<?> holder =
          Class.forName("org.springframework.security.core.context.SecurityContextHolder");
      Object context = holder.getMethod("getContext").invoke(null);
      Object auth = context.getClass().getMethod("getAuthentication").invoke(context);
      if (auth != null) {
        Object name = auth.getClass().getMethod("getName").invoke(auth);
        if (name != null) {
          return fallback + ":" + name;
        }
      }
    } catch (ReflectiveOperationException | LinkageError e) {
      // Spring Security not on the classpath: the channel name is all we know.
    }
    return fallback;
  }
}
