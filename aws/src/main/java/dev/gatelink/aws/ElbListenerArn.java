package dev.gatelink.aws;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An Elastic Load Balancing listener ARN, {@code arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:listener/
 * TYPE/NAME/LB-ID/LISTENER-ID}: the region the load balancer is in and the account that owns it. The
 * {@code TYPE} segment ({@code app}, {@code net}) decides which provider claims an ARN whose integration has
 * no typed options ({@link ElbListenerTargetProvider}), but is not trusted to tell the load balancer's type
 * (emulators write {@code app} for every one): {@link ElbListeners} asks {@code DescribeLoadBalancers}.
 *
 * @param arn the whole ARN
 * @param partition {@code aws}, {@code aws-cn}, ...
 * @param region the region
 * @param account the owning account's id
 * @param loadBalancerName the load balancer's name in the ARN
 */
public record ElbListenerArn(String arn, String partition, String region, String account, String loadBalancerName) {
  private static final Pattern ARN = Pattern.compile(
      "arn:(aws(?:-[a-z]+)*):elasticloadbalancing:([a-z]{2}(?:-[a-z]+)+-[0-9]+):([0-9]{12}):listener/"
          + "(?:app|net|gwy)/([A-Za-z0-9-]{1,32})/[0-9a-f]{1,32}/[0-9a-f]{1,32}");
  private static final String PREFIX_PATTERN = "arn:[a-z-]+:elasticloadbalancing:";

  /**
   * {@return whether the uri is meant as a listener ARN (an ELB ARN of a listener), well formed or not}
   *
   * @param uri an integration uri
   */
  public static boolean claims(String uri) {
    return uri.startsWith("arn:") && uri.matches(PREFIX_PATTERN + "[^:]*:[^:]*:listener/.*");
  }

  /**
   * {@return the type segment of a listener ARN, the text between {@code listener/} and the next {@code /}
   * ({@code app}, {@code net}, {@code gwy}), or null when there is none}
   *
   * @param uri an integration uri
   */
  public static @Nullable String typeSegment(String uri) {
    int start = uri.indexOf(":listener/");
    if (start < 0) {
      return null;
    }
    start += ":listener/".length();
    int end = uri.indexOf('/', start);
    return end < 0 ? null : uri.substring(start, end);
  }

  /**
   * Parses a listener ARN.
   *
   * @param uri the ARN
   * @return the parsed ARN
   * @throws IllegalArgumentException naming what is wrong, if it is not a listener ARN
   */
  public static ElbListenerArn parse(String uri) {
    Matcher matcher = ARN.matcher(uri);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("'" + uri + "' is not a load balancer listener ARN: expected "
          + "arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/NAME/LB-ID/LISTENER-ID");
    }
    return new ElbListenerArn(uri, matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4));
  }

  /**
   * {@return the ARN parsed, or null if it is not a listener ARN}
   *
   * @param uri any integration uri
   */
  public static @Nullable ElbListenerArn parseOrNull(String uri) {
    return ARN.matcher(uri).matches() ? parse(uri) : null;
  }

  @Override
  public String toString() {
    return arn;
  }
}
