package dev.gatelink.target;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The timing of a {@link RefreshingSnapshot}: how often it refreshes, how old its value may get, how long a
 * last good value is served while refreshes fail, and how far it backs off.
 */
public final class RefreshSettings {
  private static final long MAX_MILLIS = 999_999_999L;

  private final Duration refreshInterval;
  private final Duration maxAge;
  private final @Nullable Duration maxStaleness;
  private final Duration maxBackoff;

  private RefreshSettings(Builder builder) {
    this.refreshInterval = builder.refreshInterval;
    this.maxAge = builder.maxAge;
    this.maxStaleness = builder.maxStaleness;
    this.maxBackoff = builder.maxBackoff;
  }

  /**
   * {@return a builder with the defaults: a refresh every 15 s, a full fetch at least every 90 s, the last
   * good value served for 10 min while refreshes fail, backing off up to 2 min}
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding these settings} */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.refreshInterval = refreshInterval;
    builder.maxAge = maxAge;
    builder.maxStaleness = maxStaleness;
    builder.maxBackoff = maxBackoff;
    return builder;
  }

  /** {@return the time between refreshes (each jittered by up to a fifth either way)} */
  public Duration refreshInterval() {
    return refreshInterval;
  }

  /**
   * {@return the oldest a value gets before it is fetched again, even when the source's cheap check says that
   * nothing changed}
   */
  public Duration maxAge() {
    return maxAge;
  }

  /** {@return how long the last good value is served while refreshes fail, or null for as long as they fail} */
  public @Nullable Duration maxStaleness() {
    return maxStaleness;
  }

  /** {@return the longest wait between attempts while they fail} */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof RefreshSettings that && refreshInterval.equals(that.refreshInterval)
        && maxAge.equals(that.maxAge) && Objects.equals(maxStaleness, that.maxStaleness)
        && maxBackoff.equals(that.maxBackoff);
  }

  @Override
  public int hashCode() {
    return Objects.hash(refreshInterval, maxAge, maxStaleness, maxBackoff);
  }

  @Override
  public String toString() {
    return "RefreshSettings[refreshInterval=" + refreshInterval + ", maxAge=" + maxAge + ", maxStaleness="
        + (maxStaleness == null ? "unbounded" : maxStaleness) + ", maxBackoff=" + maxBackoff + "]";
  }

  /** Builds {@link RefreshSettings}; each setter checks its value. */
  public static final class Builder {
    private Duration refreshInterval = Duration.ofSeconds(15);
    private Duration maxAge = Duration.ofSeconds(90);
    private @Nullable Duration maxStaleness = Duration.ofMinutes(10);
    private Duration maxBackoff = Duration.ofMinutes(2);

    private Builder() {}

    /**
     * Sets the time between refreshes.
     *
     * @param interval 1 ms to 999999999 ms
     * @return this builder
     */
    public Builder refreshInterval(Duration interval) {
      this.refreshInterval = checked("refreshInterval", interval);
      return this;
    }

    /**
     * Sets the oldest a value gets before it is fetched again whatever the cheap check says.
     *
     * @param maxAge 1 ms to 999999999 ms
     * @return this builder
     */
    public Builder maxAge(Duration maxAge) {
      this.maxAge = checked("maxAge", maxAge);
      return this;
    }

    /**
     * Sets how long the last good value is served while refreshes fail.
     *
     * @param maxStaleness 1 ms to 999999999 ms, or null to serve it for as long as refreshes fail
     * @return this builder
     */
    public Builder maxStaleness(@Nullable Duration maxStaleness) {
      this.maxStaleness = maxStaleness == null ? null : checked("maxStaleness", maxStaleness);
      return this;
    }

    /**
     * Sets the longest wait between attempts while they fail.
     *
     * @param maxBackoff 1 ms to 999999999 ms
     * @return this builder
     */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = checked("maxBackoff", maxBackoff);
      return this;
    }

    /** {@return the settings} */
    public RefreshSettings build() {
      return new RefreshSettings(this);
    }

    private static Duration checked(String name, Duration duration) {
      Objects.requireNonNull(duration, name);
      if (duration.isNegative() || duration.toMillis() < 1 || duration.toMillis() > MAX_MILLIS) {
        throw new IllegalArgumentException(name + " " + duration + " is out of range: expected 1 to " + MAX_MILLIS
            + " milliseconds");
      }
      return Duration.ofMillis(duration.toMillis());
    }
  }
}
