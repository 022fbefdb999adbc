package dev.gatelink.testing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * An AWS SDK interceptor that records, for tests of cross-account access, which access key signed each
 * operation's calls, every STS {@code AssumeRole} call (role, external id, session name) and the access keys
 * it handed out. Add it to the clients under test ({@code clientConfiguration(c -> c.addExecutionInterceptor(
 * recorder))}); thread-safe.
 */
public final class AwsCallRecorder implements ExecutionInterceptor {
  private static final Pattern SIGNING_KEY = Pattern.compile("Credential=([A-Z0-9]+)/");

  private final Map<String, Set<String>> signedBy = new ConcurrentHashMap<>();
  private final List<String> assumeRoleCalls = new CopyOnWriteArrayList<>();
  private final List<String> assumedKeys = new CopyOnWriteArrayList<>();

  /** A recorder that has seen nothing yet. */
  public AwsCallRecorder() {}

  /** {@return the access keys that signed each operation's calls, by operation name, such as {@code DescribeListeners}} */
  public Map<String, Set<String>> signedBy() {
    return Map.copyOf(signedBy);
  }

  /** {@return each {@code AssumeRole} call, as {@code ROLE externalId=ID session=NAME}, in order} */
  public List<String> assumeRoleCalls() {
    return List.copyOf(assumeRoleCalls);
  }

  /** {@return the access keys of the credentials each {@code AssumeRole} call returned, in order} */
  public List<String> assumedKeys() {
    return List.copyOf(assumedKeys);
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    if ("AssumeRole".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
      assumeRoleCalls.add(field(context.request(), "RoleArn") + " externalId=" + field(context.request(), "ExternalId")
          + " session=" + field(context.request(), "RoleSessionName"));
    }
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    Matcher key = SIGNING_KEY.matcher(context.httpRequest().firstMatchingHeader("Authorization").orElse(""));
    signedBy.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
        name -> ConcurrentHashMap.newKeySet()).add(key.find() ? key.group(1) : "unsigned");
  }

  @Override
  public void afterUnmarshalling(Context.AfterUnmarshalling context, ExecutionAttributes attributes) {
    if ("AssumeRole".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
      Object credentials = field(context.response(), "Credentials");
      if (credentials instanceof SdkPojo pojo) {
        assumedKeys.add(String.valueOf(field(pojo, "AccessKeyId")));
      }
    }
  }

  /** A member of an SDK object by its wire name, or null. */
  private static @Nullable Object field(SdkPojo pojo, String name) {
    for (SdkField<?> field : pojo.sdkFields()) {
      if (field.memberName().equals(name) || field.locationName().equals(name)) {
        return field.getValueOrDefault(pojo);
      }
    }
    return null;
  }
}
