package dev.gatelink.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ListenerNotFoundException;

/** What a failed listener look-up says: which call, which listener, and what to change. */
class ElbListenersTest {
  private static final String ARN =
      "arn:aws:elasticloadbalancing:us-east-2:123456789012:listener/app/orders/50dc6c495c0c9188/0467ef3c8400ae65";

  private static AwsServiceException error(String code, String message) {
    return AwsServiceException.builder().awsErrorDetails(AwsErrorDetails.builder().errorCode(code)
        .errorMessage(message).build()).build();
  }

  @Test
  void aListenerThatDoesNotExistSaysSo() {
    assertThat(ElbListeners.explain("DescribeListeners", ARN, new CompletionException(
        ListenerNotFoundException.builder().message("The specified listener does not exist.").build())))
        .hasMessage("listener " + ARN + " was not found: expected the ARN of an existing listener, in the region "
            + "and account of its ARN (aws elbv2 describe-listeners --listener-arns ...)");
  }

  @Test
  void accessDeniedNamesTheActionToAllow() {
    assertThat(ElbListeners.explain("DescribeLoadBalancers", ARN, error("AccessDenied", "User is not authorized")))
        .hasMessage(ARN + ": DescribeLoadBalancers was denied (AccessDenied: User is not authorized): expected "
            + "credentials, or a role (roleArn), allowed elasticloadbalancing:DescribeLoadBalancers");
  }

  @Test
  void throttlingSaysTheRetriesWereUsedUp() {
    assertThat(ElbListeners.explain("DescribeListeners", ARN, error("Throttling", "Rate exceeded")))
        .hasMessage(ARN + ": DescribeListeners was throttled (Throttling: Rate exceeded): the SDK's retries were "
            + "used up; try again, or refresh less often");
  }

  @Test
  void anUnreachableEndpointSaysSo() {
    assertThat(ElbListeners.explain("DescribeListeners", ARN,
        SdkClientException.create("Unable to execute HTTP request: Connection refused")))
        .hasMessage(ARN + ": DescribeListeners could not reach ELBv2: Unable to execute HTTP request: Connection "
            + "refused");
  }

  @Test
  void aListenerArnIsParsedAndAnythingElseIsRefused() {
    ElbListenerArn parsed = ElbListenerArn.parse(ARN);

    assertThat(parsed).isEqualTo(new ElbListenerArn(ARN, "aws", "us-east-2", "123456789012", "orders"));
    assertThat(ElbListenerArn.claims(ARN)).isTrue();
    assertThat(ElbListenerArn.claims("arn:aws:servicediscovery:us-east-2:123456789012:service/srv-1")).isFalse();
    String balancer = "arn:aws:elasticloadbalancing:us-east-2:123456789012:loadbalancer/app/orders/50dc6c495c0c9188";
    assertThat(ElbListenerArn.claims(balancer)).isFalse();
    String broken = "arn:aws:elasticloadbalancing:us-east-2:123456789012:listener/app/orders";
    assertThat(ElbListenerArn.claims(broken)).isTrue();
    assertThatThrownBy(() -> ElbListenerArn.parse(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'" + broken + "' is not a load balancer listener ARN: expected "
            + "arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/NAME/LB-ID/LISTENER-ID");
  }
}
