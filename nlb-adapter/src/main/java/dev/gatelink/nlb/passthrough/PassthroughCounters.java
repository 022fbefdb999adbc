package dev.gatelink.nlb.passthrough;

import dev.gatelink.nlb.passthrough.ConnectionLog.Refusal;
import dev.gatelink.target.Outcome;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of a {@link TlsPassthroughListener}'s counters since it started. Every accepted connection ends, once
 * closed, as exactly one refusal or one outcome (what its {@link ConnectionLog} says), so that {@code accepted}
 * is the sum of both maps and the connections open. Refusals, outcomes and bytes are counted when a connection
 * closes. Each counter is exact; taken while connections come and go, the snapshot is not a single instant.
 *
 * @param accepted the connections accepted, refused ones included
 * @param refusals the connections refused, by reason; every reason present
 * @param outcomes the connections relayed to an endpoint, by the outcome reported to its target; every outcome
 *     present
 * @param bytesFromClient the bytes read from clients once routed, their ClientHellos included
 * @param bytesToClient the bytes read from endpoints for clients
 */
public record PassthroughCounters(long accepted, Map<Refusal, Long> refusals, Map<Outcome, Long> outcomes,
    long bytesFromClient, long bytesToClient) {

  /**
   * Keeps unmodifiable copies of the maps, in the enums' order.
   *
   * @param accepted the connections accepted
   * @param refusals the connections refused, by reason
   * @param outcomes the connections relayed, by outcome
   * @param bytesFromClient the bytes read from clients once routed
   * @param bytesToClient the bytes read from endpoints for clients
   */
  public PassthroughCounters {
    refusals = copy(Refusal.class, refusals);
    outcomes = copy(Outcome.class, outcomes);
  }

  private static <K extends Enum<K>> Map<K, Long> copy(Class<K> keys, Map<K, Long> counts) {
    EnumMap<K, Long> copy = new EnumMap<>(keys);
    copy.putAll(counts);
    return Collections.unmodifiableMap(copy);
  }

  /**
   * {@return the connections refused for a reason}
   *
   * @param reason the reason
   */
  public long refused(Refusal reason) {
    return refusals.getOrDefault(reason, 0L);
  }

  /**
   * {@return the connections that ended with an outcome}
   *
   * @param outcome the outcome reported to the target
   */
  public long ended(Outcome outcome) {
    return outcomes.getOrDefault(outcome, 0L);
  }
}
