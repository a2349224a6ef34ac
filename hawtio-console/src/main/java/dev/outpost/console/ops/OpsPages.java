package dev.outpost.console.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.OperationValidator;
import dev.outpost.contracts.ValidationResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The ops pages (static files under {@code static/ops/}) and the two answers they need from the
 * console itself: who is logged in (to disable what a viewer may not do; central refuses it anyway)
 * and a check of an edited operation against the contract's schemas before it is replayed (the same
 * validator central runs; it holds no data).
 */
@RestController
public class OpsPages {
  private final OperationValidator validator = new OperationValidator();

  @GetMapping("/ops/session")
  public Map<String, Object> session(Authentication person) {
    List<String> roles =
        person.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("user", person.getName());
    out.put("canAct", roles.contains("ROLE_OPS"));
    return out;
  }

  /** {@code valid}, or the violations by JSON pointer (a body that is not JSON is one of them). */
  @PostMapping("/ops/check/envelope")
  public Map<String, Object> check(@RequestBody(required = false) String text) {
    Map<String, Object> out = new LinkedHashMap<>();
    JsonNode doc;
    try {
      doc = text == null || text.isBlank() ? null : Contracts.mapper().readTree(text);
    } catch (Exception e) {
      doc = null;
    }
    if (doc == null) {
      out.put("valid", false);
      out.put("violations", List.of(Map.of("pointer", "", "message", "not a JSON document")));
      return out;
    }
    ValidationResult result = validator.validateEnvelope(doc);
    out.put("valid", result.isValid());
    out.put("reason", result.isValid() ? null : result.reason().name());
    out.put(
        "violations",
        result.violations().stream()
            .map(v -> Map.of("pointer", v.pointer(), "message", v.message()))
            .toList());
    return out;
  }

  @Configuration(proxyBeanMethods = false)
  static class Welcome implements WebMvcConfigurer {
    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
      registry.addRedirectViewController("/ops", "/ops/");
      registry.addViewController("/ops/").setViewName("forward:/ops/index.html");
    }
  }
}
