package dev.outpost.support;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The house rules both apps check on every build (each app's {@code ArchitectureTest}); every rule
 * says how to fix a violation. See docs/architecture.md, "Build guards".
 */
public final class HouseRules {
  private HouseRules() {}

  /** The packages whose use is SQL or JDBC. */
  static final String[] SQL_PACKAGES = {"org.springframework.jdbc..", "java.sql..", "javax.sql.."};

  /** A persistence class's name, or a class nested in one (row mappers, callbacks, lambdas). */
  private static final Pattern PERSISTENCE_NAME = Pattern.compile(".*(Repository|Store)(\\$.*)?");

  /** {@code app} (e.g. dev.outpost.edge) never depends on {@code other} (dev.outpost.central). */
  public static ArchRule neverDependsOn(String app, String other) {
    return noClasses()
        .that()
        .resideInAPackage(app + "..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(other + "..")
        .because(
            "central and terminals meet only through contracts and the broker; "
                + "put what both need in contracts, broker-config or web-support");
  }

  /**
   * SQL and JDBC types are used only by persistence classes: a class named {@code *Repository} or
   * {@code *Store} (and the classes nested in it), or a class of a {@code config} package (the
   * app's wiring: data source, migrations, embedded database and broker; it runs no statements of a
   * feature). {@code infrastructure} names, with the reason, the few other classes that must touch
   * JDBC types.
   */
  public static ArchRule sqlOnlyInPersistence(Map<String, String> infrastructure) {
    DescribedPredicate<JavaClass> persistence =
        DescribedPredicate.describe(
            "persistence classes (*Repository, *Store, config packages) or named infrastructure",
            c ->
                PERSISTENCE_NAME.matcher(c.getName()).matches()
                    || c.getPackageName().endsWith(".config")
                    || c.getPackageName().contains(".config.")
                    || infrastructure.containsKey(topLevel(c).getName()));
    String allowed =
        infrastructure.isEmpty()
            ? ""
            : "; allowed besides: "
                + infrastructure.entrySet().stream()
                    .map(e -> simple(e.getKey()) + " (" + e.getValue() + ")")
                    .sorted()
                    .collect(Collectors.joining(", "));
    return noClasses()
        .that(DescribedPredicate.not(persistence))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(SQL_PACKAGES)
        .because(
            "SQL belongs in a persistence class of the feature (a *Repository or *Store): move the"
                + " statement there, give it a method that says what it does, and call that"
                + allowed);
  }

  /**
   * Features meet only through their ports: a class of feature {@code app.a} may use a class of
   * another feature {@code app.b} only when that class (or the class it is nested in) is annotated
   * {@link FeaturePort}. The {@code shared} packages (e.g. config, api, security) are open to all.
   * Classes directly in {@code app} (the application class) are not a feature.
   */
  public static ArchRule featuresMeetThroughPorts(String app, Set<String> shared) {
    return classes()
        .that()
        .resideInAPackage(app + "..")
        .should(
            new ArchCondition<JavaClass>(
                "use other features only through their @FeaturePort types") {
              @Override
              public void check(JavaClass c, ConditionEvents events) {
                Optional<String> from = feature(app, c);
                if (from.isEmpty()) {
                  return;
                }
                for (Dependency d : c.getDirectDependenciesFromSelf()) {
                  JavaClass target = d.getTargetClass().getBaseComponentType();
                  Optional<String> to = feature(app, target);
                  if (to.isEmpty()
                      || to.equals(from)
                      || shared.contains(to.get())
                      || isPort(target)) {
                    continue;
                  }
                  events.add(
                      SimpleConditionEvent.violated(
                          d,
                          d.getDescription()
                              + ": "
                              + topLevel(target).getName()
                              + " is not a port of feature '"
                              + to.get()
                              + "'"));
                }
              }
            })
        .because(
            "a feature is used only through the types it offers: call one of its @FeaturePort"
                + " types (docs/architecture.md lists them), or, when the type really is meant for"
                + " other features, annotate it @FeaturePort and add it to that list; never reach"
                + " into another feature's internals");
  }

  public static ArchRule noFieldInjection() {
    return noFields()
        .should()
        .beAnnotatedWith("org.springframework.beans.factory.annotation.Autowired")
        .orShould()
        .beAnnotatedWith("org.springframework.beans.factory.annotation.Value")
        .orShould()
        .beAnnotatedWith("jakarta.inject.Inject")
        .orShould()
        .beAnnotatedWith("jakarta.annotation.Resource")
        .because(
            "dependencies come in through the constructor, so a class shows what it needs "
                + "and can be built in a test");
  }

  /**
   * The first package segment under {@code app}, or empty for a class outside or directly in it.
   */
  static Optional<String> feature(String app, JavaClass c) {
    String pkg = c.getPackageName();
    if (!pkg.startsWith(app + ".")) {
      return Optional.empty();
    }
    String rest = pkg.substring(app.length() + 1);
    int dot = rest.indexOf('.');
    return Optional.of(dot < 0 ? rest : rest.substring(0, dot));
  }

  private static boolean isPort(JavaClass c) {
    for (Optional<JavaClass> k = Optional.of(c); k.isPresent(); k = k.get().getEnclosingClass()) {
      if (k.get().isAnnotatedWith(FeaturePort.class)) {
        return true;
      }
    }
    return false;
  }

  private static JavaClass topLevel(JavaClass c) {
    JavaClass k = c;
    while (k.getEnclosingClass().isPresent()) {
      k = k.getEnclosingClass().get();
    }
    return k;
  }

  private static String simple(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }
}
