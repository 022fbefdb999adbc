package dev.gatelink.target;

import java.util.Map;

/**
 * One integration's options for its target provider, where API Gateway has no field: a provider's own typed
 * options ({@code CloudMapOptions}, {@code AlbOptions}), or {@link WrittenTargetOptions}, the options as an
 * OpenAPI file's {@code x-gatelink-target} writes them, which the claiming provider reads into its own type
 * (refusing an unknown option or a bad value with a {@link TargetOptionException} naming it).
 *
 * <p>Implementations are immutable, and equal when they set the same options.
 */
public interface TargetOptions {
  /**
   * {@return the options as {@code x-gatelink-target} writes them, in order: only those set, a group's members as
   * {@code group.member}}
   */
  Map<String, String> asMap();

  /** {@return no options: every provider's defaults} */
  static TargetOptions none() {
    return WrittenTargetOptions.EMPTY;
  }
}
