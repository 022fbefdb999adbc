package dev.gatelink.examples.gateway;

import dev.gatelink.nlb.passthrough.PassthroughTargets;
import dev.gatelink.nlb.passthrough.SniRoute;
import org.jspecify.annotations.Nullable;

/** The checks of the passthrough flags' values, as the listener's own options make them. */
final class PassthroughFlags {
  private PassthroughFlags() {}

  /** {@return what is wrong with a route's server name, or null} */
  static @Nullable String serverNameProblem(String name) {
    try {
      SniRoute.checkServerName(name);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** {@return what is wrong with a target's text, or null} */
  static @Nullable String targetProblem(String target) {
    try {
      PassthroughTargets.checked(target);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }
}
