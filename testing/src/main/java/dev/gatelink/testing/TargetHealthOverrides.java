package dev.gatelink.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetHealthResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * An AWS SDK interceptor that rewrites the health of chosen targets in {@code DescribeTargetHealth}'s answers on
 * their way in (moto answers {@code healthy} for every registered target): add it to the clients under test
 * ({@code clientConfiguration(c -> c.addExecutionInterceptor(overrides))}), then {@link #set} a target's state at
 * any time. Thread-safe.
 */
public final class TargetHealthOverrides implements ExecutionInterceptor {
  private final Map<String, TargetHealthStateEnum> states = new ConcurrentHashMap<>();

  /** No target rewritten yet. */
  public TargetHealthOverrides() {}

  /**
   * Makes a target's health this state in every later answer.
   *
   * @param targetId the target's id: an address for ip targets, an instance id for instance targets
   * @param state the state, such as {@code UNHEALTHY} or {@code DRAINING}
   */
  public void set(String targetId, TargetHealthStateEnum state) {
    states.put(targetId, state);
  }

  @Override
  public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
    if (!(context.response() instanceof DescribeTargetHealthResponse response) || states.isEmpty()) {
      return context.response();
    }
    List<TargetHealthDescription> rewritten = new ArrayList<>();
    for (TargetHealthDescription target : response.targetHealthDescriptions()) {
      TargetHealthStateEnum state = states.get(target.target().id());
      rewritten.add(state == null ? target : target.toBuilder().targetHealth(h -> h.state(state)).build());
    }
    return response.toBuilder().targetHealthDescriptions(rewritten).build();
  }
}
