package dev.outpost.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a type other features of the same app may use: a feature's public port. Every other type of
 * a feature package is its own business, and the build (web-support's {@code
 * HouseRules.featuresMeetThroughPorts}) fails when another feature reaches it. Types nested in a
 * port (its records, exceptions) belong to the port. See docs/architecture.md, "Build guards".
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface FeaturePort {
  /** Why other features need it, when the name does not say. */
  String value() default "";
}
