package dev.outpost.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import javax.management.ObjectName;
import org.jolokia.server.core.restrictor.DenyAllRestrictor;
import org.jolokia.server.core.restrictor.RestrictorFactory;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Jolokia's access policy per role. Jolokia reads one policy file for everybody; this restrictor
 * (set with {@code management.endpoint.jolokia.config.restrictorClass}) holds one Jolokia {@code
 * PolicyRestrictor} per role, loaded from {@value #OPS_POLICY} and {@value #VIEWER_POLICY}, and
 * answers every question with the one of the role Spring Security authenticated for the current
 * request: ROLE_OPS may also exec and write, ROLE_VIEWER only read, list, search and ask the
 * version; anyone else nothing. Jolokia applies it to the parsed request, so the URL form (path,
 * {@code ?p=}, percent-encoding, POST body, bulk) makes no difference.
 *
 * <p>Jolokia's servlet runs inside the Spring Security filter chain on the request's thread, so the
 * security context of the request is the one seen here.
 */
public class JolokiaRoleRestrictor implements Restrictor {
  public static final String OPS_POLICY = "classpath:/jolokia-access-ops.xml";
  public static final String VIEWER_POLICY = "classpath:/jolokia-access-viewer.xml";
  static final String OPS_ROLE = "ROLE_OPS";
  static final String VIEWER_ROLE = "ROLE_VIEWER";

  private final Restrictor ops;
  private final Restrictor viewer;
  private final Restrictor nobody = new DenyAllRestrictor();

  /** Jolokia instantiates it by class name. */
  public JolokiaRoleRestrictor() {
    this.ops = load(OPS_POLICY);
    this.viewer = load(VIEWER_POLICY);
  }

  private static Restrictor load(String location) {
    try {
      Restrictor r = RestrictorFactory.lookupPolicyRestrictor(location);
      if (r == null) {
        throw new IllegalStateException(
            "Jolokia policy " + location + " is missing from the classpath");
      }
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Jolokia policy " + location, e);
    }
  }

  /** The policy for the current request's login. */
  Restrictor current() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth == null || !auth.isAuthenticated()) {
      return nobody;
    }
    boolean isViewer = false;
    for (GrantedAuthority a : auth.getAuthorities()) {
      if (OPS_ROLE.equals(a.getAuthority())) {
        return ops;
      }
      isViewer |= VIEWER_ROLE.equals(a.getAuthority());
    }
    return isViewer ? viewer : nobody;
  }

  @Override
  public boolean isHttpMethodAllowed(HttpMethod method) {
    return current().isHttpMethodAllowed(method);
  }

  @Override
  public boolean isTypeAllowed(RequestType type) {
    return current().isTypeAllowed(type);
  }

  @Override
  public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
    return current().isAttributeReadAllowed(name, attribute);
  }

  @Override
  public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
    return current().isAttributeWriteAllowed(name, attribute);
  }

  @Override
  public boolean isOperationAllowed(ObjectName name, String operation) {
    return current().isOperationAllowed(name, operation);
  }

  @Override
  public boolean isRemoteAccessAllowed(String... hostOrAddress) {
    return current().isRemoteAccessAllowed(hostOrAddress);
  }

  @Override
  public boolean isOriginAllowed(String origin, boolean strictChecking) {
    return current().isOriginAllowed(origin, strictChecking);
  }

  @Override
  public boolean isObjectNameHidden(ObjectName name) {
    return current().isObjectNameHidden(name);
  }

  @Override
  public boolean ignoreScheme() {
    return current().ignoreScheme();
  }
}
