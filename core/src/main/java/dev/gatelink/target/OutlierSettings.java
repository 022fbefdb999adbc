package dev.gatelink.target;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** When an {@link OutlierDetector} ejects an endpoint, and for how long. */
public final class OutlierSettings {
  private final int failuresToEject;
  private final Duration baseEjection;
  private final Duration maxEjection;

  private OutlierSettings(Builder builder) {
    this.failuresToEject = builder.failuresToEject;
    this.baseEjection = builder.baseEjection;
    this.maxEjection = builder.maxEjection;
  }

  /** {@return a builder with the defaults: ejected after 3 connection failures in a row, for 10 s times the ejections so far, at most 5 min} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding these settings} */
  public Builder toBuilder() {
    return new Builder().failuresToEject(failuresToEject).baseEjection(baseEjection).maxEjection(maxEjection);
  }

  /** {@return the consecutive connection failures that eject an endpoint} */
  public int failuresToEject() {
    return failuresToEject;
  }

  /** {@return the first ejection's length, multiplied by the number of ejections so far} */
  public Duration baseEjection() {
    return baseEjection;
  }

  /** {@return the longest ejection} */
  public Duration maxEjection() {
    return maxEjection;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof OutlierSettings that && failuresToEject == that.failuresToEject
        && baseEjection.equals(that.baseEjection) && maxEjection.equals(that.maxEjection);
  }

  @Override
  public int hashCode() {
    return Objects.hash(failuresToEject, baseEjection, maxEjection);
  }

  @Override
  public String toString() {
    return "OutlierSettings[failuresToEject=" + failuresToEject + ", baseEjection=" + baseEjection
        + ", maxEjection=" + maxEjection + "]";
  }

  /** Builds {@link OutlierSettings}; each setter checks its value. */
  public static final class Builder {
    private int failuresToEject = 3;
    private Duration baseEjection = Duration.ofSeconds(10);
    private Duration maxEjection = Duration.ofMinutes(5);

    private Builder() {}

    /**
     * Sets the consecutive connection failures that eject an endpoint.
     *
     * @param failures 1 to 999999999
     * @return this builder
     */
    public Builder failuresToEject(int failures) {
      if (failures < 1 || failures > 999_999_999) {
        throw new IllegalArgumentException("failuresToEject " + failures + " is out of range: expected 1 to 999999999");
      }
      this.failuresToEject = failures;
      return this;
    }

    /**
     * Sets the first ejection's length.
     *
     * @param length 1 ms to 999999999 ms
     * @return this builder
     */
    public Builder baseEjection(Duration length) {
      this.baseEjection = checked("baseEjection", length);
      return this;
    }

    /**
     * Sets the longest ejection.
     *
     * @param length 1 ms to 999999999 ms
     * @return this builder
     */
    public Builder maxEjection(Duration length) {
      this.maxEjection = checked("maxEjection", length);
      return this;
    }

    /** {@return the settings} */
    public OutlierSettings build() {
      return new OutlierSettings(this);
    }

    private static Duration checked(String name, Duration duration) {
      Objects.requireNonNull(duration, name);
      if (duration.isNegative() || duration.toMillis() < 1 || duration.toMillis() > 999_999_999L) {
        throw new IllegalArgumentException(name + " " + duration + " is out of range: expected 1 to 999999999 "
            + "milliseconds");
      }
      return Duration.ofMillis(duration.toMillis());
    }
  }
}
