package dev.outpost.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.catalog.EndpointValidationResult;
import org.apache.camel.catalog.impl.DefaultRuntimeCamelCatalog;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.OptionalIdentifiedDefinition;
import org.apache.camel.model.OtherwiseDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.model.TryDefinition;
import org.apache.camel.model.WhenDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.apache.camel.util.StringHelper;

/**
 * The Camel house rules both apps check against their real, started context (each app's {@code
 * architecture/CamelRouteRulesTest}); every finding says what to fix. See docs/architecture.md,
 * "Routes".
 */
public final class CamelRouteRules {
  /** The id Camel gives a redelivery policy nobody named (Hawtio shows it as a step). */
  private static final Pattern GENERATED_REDELIVERY_ID = Pattern.compile("redeliveryPolicy\\d+");

  private CamelRouteRules() {}

  /**
   * Every REST verb, route, route configuration and step (processor node, also inside choice, doTry
   * and onException) without an id of its own: Hawtio's route diagram shows those as {@code
   * process2}.
   */
  public static List<String> missingIds(CamelContext context) {
    ModelCamelContext model = (ModelCamelContext) context;
    List<String> missing = new ArrayList<>();
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (RouteConfigurationDefinition c : model.getRouteConfigurationDefinitions()) {
      String where = "route configuration " + (c.hasCustomIdAssigned() ? c.getId() : "<no id>");
      if (!c.hasCustomIdAssigned()) {
        missing.add(where + ": give it an id, routeConfiguration(\"...\")");
      }
      c.getOnExceptions().forEach(p -> walk(where, p, missing, seen));
      c.getOnCompletions().forEach(p -> walk(where, p, missing, seen));
      c.getIntercepts().forEach(p -> walk(where, p, missing, seen));
      c.getInterceptFroms().forEach(p -> walk(where, p, missing, seen));
      c.getInterceptSendTos().forEach(p -> walk(where, p, missing, seen));
    }
    for (RestDefinition rest : model.getRestDefinitions()) {
      for (VerbDefinition verb : rest.getVerbs()) {
        if (!verb.hasCustomIdAssigned()) {
          missing.add(
              "rest "
                  + verb.asVerb().toUpperCase(Locale.ROOT)
                  + " "
                  + rest.getPath()
                  + (verb.getPath() == null ? "" : verb.getPath())
                  + ": give the verb .id(\"...\")");
        }
      }
    }
    for (RouteDefinition r : model.getRouteDefinitions()) {
      String name = r.hasCustomIdAssigned() ? r.getRouteId() : "<no id>";
      String where = "route " + name + " (from " + r.getEndpointUrl() + ")";
      if (!r.hasCustomIdAssigned()) {
        missing.add(where + ": give it .routeId(\"...\")");
      }
      r.getOutputs().forEach(p -> walk(where, p, missing, seen));
    }
    return missing;
  }

  private static void walk(
      String where, OptionalIdentifiedDefinition<?> node, List<String> missing, Set<Object> seen) {
    if (!seen.add(node)) {
      return;
    }
    if (!node.hasCustomIdAssigned()) {
      missing.add(
          where
              + ": step "
              + node.getShortName()
              + " ["
              + node.getLabel()
              + "] has no id; add .id(\"kebab-case-name\") after it");
    }
    if (node instanceof OnExceptionDefinition onException
        && onException.getRedeliveryPolicyType() != null
        && (onException.getRedeliveryPolicyType().getId() == null
            || GENERATED_REDELIVERY_ID
                .matcher(onException.getRedeliveryPolicyType().getId())
                .matches())) {
      missing.add(
          where
              + ": the redelivery policy of "
              + node.getLabel()
              + " has no id; set .getRedeliveryPolicyType().setId(\"...\")");
    }
    children(node).forEach(c -> walk(where, c, missing, seen));
  }

  /** A node's outputs, and a choice's when/otherwise and a doTry's catch/finally clauses. */
  private static List<OptionalIdentifiedDefinition<?>> children(
      OptionalIdentifiedDefinition<?> node) {
    List<OptionalIdentifiedDefinition<?>> children = new ArrayList<>();
    if (node instanceof ChoiceDefinition choice) {
      children.addAll(choice.getWhenClauses());
      if (choice.getOtherwise() != null) {
        children.add(choice.getOtherwise());
      }
    }
    if (node instanceof TryDefinition doTry) {
      children.addAll(doTry.getOutputsWithoutCatches());
      children.addAll(doTry.getCatchClauses());
      if (doTry.getFinallyClause() != null) {
        children.add(doTry.getFinallyClause());
      }
    } else if (node instanceof ProcessorDefinition<?> p) {
      children.addAll(p.getOutputs());
    } else if (node instanceof WhenDefinition when) {
      children.addAll(when.getOutputs());
    } else if (node instanceof OtherwiseDefinition otherwise) {
      children.addAll(otherwise.getOutputs());
    }
    return children;
  }

  /**
   * Every endpoint URI the routes name ({@code from}, {@code to}, the static part of {@code toD})
   * whose options Camel's catalog does not accept (unknown option, wrong type, bad enum value),
   * with the route and the catalog's reason. Placeholders are resolved first; a component
   * registered under its own name (e.g. {@code central:} for a second JMS connection) is checked as
   * the component it is.
   */
  public static List<String> invalidEndpoints(CamelContext context) {
    ModelCamelContext model = (ModelCamelContext) context;
    DefaultRuntimeCamelCatalog catalog = new DefaultRuntimeCamelCatalog();
    catalog.setCamelContext(context);
    List<String> invalid = new ArrayList<>();
    for (RouteDefinition r : model.getRouteDefinitions()) {
      List<String> uris = new ArrayList<>();
      uris.add(r.getInput().getEndpointUri());
      collectUris(r.getOutputs(), uris, Collections.newSetFromMap(new IdentityHashMap<>()));
      for (String uri : uris) {
        String problem = check(context, catalog, uri);
        if (problem != null) {
          invalid.add("route " + r.getRouteId() + ": " + uri + " -> " + problem);
        }
      }
    }
    return invalid;
  }

  private static void collectUris(
      List<? extends OptionalIdentifiedDefinition<?>> nodes, List<String> uris, Set<Object> seen) {
    for (OptionalIdentifiedDefinition<?> node : nodes) {
      if (!seen.add(node)) {
        continue;
      }
      if (node instanceof ToDynamicDefinition toD) {
        // Only the part before the first ${...} is known before a message comes.
        String uri = toD.getUri();
        int dynamic = uri.indexOf("${");
        uris.add(dynamic < 0 ? uri : uri.substring(0, dynamic));
      } else if (node instanceof EndpointRequiredDefinition e && e.getEndpointUri() != null) {
        uris.add(e.getEndpointUri());
      }
      collectUris(children(node), uris, seen);
    }
  }

  private static String check(
      CamelContext context, DefaultRuntimeCamelCatalog catalog, String uri) {
    String resolved;
    try {
      resolved = context.resolvePropertyPlaceholders(uri);
    } catch (RuntimeException e) {
      return "a placeholder does not resolve: " + e.getMessage();
    }
    // A trailing '?' or '&' is left when toD's dynamic part was cut off.
    while (resolved.endsWith("?") || resolved.endsWith("&")) {
      resolved = resolved.substring(0, resolved.length() - 1);
    }
    String scheme = StringHelper.before(resolved, ":");
    if (scheme == null) {
      return "no scheme";
    }
    if (catalog.componentJSonSchema(scheme) == null) {
      // e.g. "central" is a JmsComponent bean: validate as "jms".
      Component component = context.hasComponent(scheme);
      String actual = component == null ? null : component.getDefaultName();
      if (actual == null || catalog.componentJSonSchema(actual) == null) {
        return "unknown component " + scheme;
      }
      resolved = actual + resolved.substring(scheme.length());
    }
    EndpointValidationResult result;
    try {
      result = catalog.validateEndpointProperties(resolved, true, false, false);
    } catch (RuntimeException e) {
      return "not a valid endpoint URI: " + e.getMessage();
    }
    if (result.isSuccess()) {
      return null;
    }
    String summary = result.summaryErrorMessage(false, false, false);
    return summary != null ? summary.trim() : "unknown options " + result.getUnknown();
  }
}
