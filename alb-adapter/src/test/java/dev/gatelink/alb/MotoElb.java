package dev.gatelink.alb;

import dev.gatelink.testing.MotoServer;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * Load balancers in moto for the tests: a VPC with two subnets, load balancers of either type, target groups
 * and HTTP or HTTPS listeners (with a certificate requested from moto's ACM), through blocking clients.
 */
final class MotoElb implements AutoCloseable {
  static final String REGION = "us-east-1";
  static final AwsCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

  final ElasticLoadBalancingV2Client elb;
  private final Ec2Client ec2;
  private final AcmClient acm;
  private final String vpc;
  private final List<String> subnets;

  MotoElb(MotoServer moto) {
    this(moto, CREDENTIALS);
  }

  MotoElb(MotoServer moto, AwsCredentialsProvider credentials) {
    this.elb = ElasticLoadBalancingV2Client.builder().endpointOverride(moto.endpoint()).region(Region.of(REGION))
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    this.ec2 = Ec2Client.builder().endpointOverride(moto.endpoint()).region(Region.of(REGION))
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    this.acm = AcmClient.builder().endpointOverride(moto.endpoint()).region(Region.of(REGION))
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    this.vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    this.subnets = List.of(
        ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone(REGION + "a")).subnet().subnetId(),
        ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone(REGION + "b")).subnet().subnetId());
  }

  /** {@return a new internal load balancer of the type} */
  LoadBalancer loadBalancer(String name, LoadBalancerTypeEnum type) {
    return elb.createLoadBalancer(r -> r.name(name).subnets(subnets).scheme("internal").type(type))
        .loadBalancers().get(0);
  }

  /** {@return the ARN of a new target group} */
  String targetGroup(String name, int port) {
    return elb.createTargetGroup(r -> r.name(name).protocol(ProtocolEnum.HTTP).port(port).vpcId(vpc))
        .targetGroups().get(0).targetGroupArn();
  }

  /** {@return the ARN of a new listener that forwards to the target group; HTTPS with a certificate from ACM} */
  String listener(LoadBalancer balancer, ProtocolEnum protocol, int port, String targetGroup) {
    return elb.createListener(r -> {
      r.loadBalancerArn(balancer.loadBalancerArn()).protocol(protocol).port(port)
          .defaultActions(a -> a.type("forward").targetGroupArn(targetGroup));
      if (protocol == ProtocolEnum.HTTPS || protocol == ProtocolEnum.TLS) {
        String certificate = acm.requestCertificate(c -> c.domainName("orders.internal")).certificateArn();
        r.certificates(c -> c.certificateArn(certificate));
      }
    }).listeners().get(0).listenerArn();
  }

  @Override
  public void close() {
    elb.close();
    ec2.close();
    acm.close();
  }
}
