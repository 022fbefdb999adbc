package dev.gatelink.testing;

import io.vertx.core.net.SelfSignedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * Load balancers in moto for tests, through blocking clients over the JDK's URL connection: a VPC with two
 * subnets, load balancers of either type, target groups (of ip targets, or of instance targets whose private
 * addresses are on loopback, 127.0.0.0/24), listeners (HTTPS and TLS ones with a certificate made in the test and
 * imported into moto's ACM), and EC2 instances. Region {@value #REGION}, credentials {@link #CREDENTIALS} unless
 * given.
 *
 * <p>Close it after the test (it closes its clients); {@link MotoServer#reset()} forgets what it made.
 */
public final class MotoElb implements AutoCloseable {
  /** The region everything is made in. */
  public static final String REGION = "us-east-1";
  /** moto's usual test credentials: account 123456789012. */
  public static final AwsCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

  private final ElasticLoadBalancingV2Client elb;
  private final Ec2Client ec2;
  private final AcmClient acm;
  private final String vpc;
  private final List<String> subnets;
  private @Nullable String loopbackSubnet;
  private @Nullable String certificate;

  /**
   * Clients of the moto server with {@link #CREDENTIALS}, and a new VPC with two subnets.
   *
   * @param moto the server
   */
  public MotoElb(MotoServer moto) {
    this(moto, CREDENTIALS);
  }

  /**
   * Clients of the moto server with these credentials (their account is where everything is made), and a new VPC
   * with two subnets.
   *
   * @param moto the server
   * @param credentials the credentials
   */
  public MotoElb(MotoServer moto, AwsCredentialsProvider credentials) {
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

  /** {@return the ELBv2 client, for what the other methods do not make} */
  public ElasticLoadBalancingV2Client elb() {
    return elb;
  }

  /** {@return the EC2 client} */
  public Ec2Client ec2() {
    return ec2;
  }

  /** {@return the VPC's id} */
  public String vpcId() {
    return vpc;
  }

  /**
   * {@return a new internal load balancer of the type, in the VPC's two subnets}
   *
   * @param name its name
   * @param type application or network
   */
  public LoadBalancer loadBalancer(String name, LoadBalancerTypeEnum type) {
    return elb.createLoadBalancer(r -> r.name(name).subnets(subnets).scheme("internal").type(type))
        .loadBalancers().get(0);
  }

  /**
   * {@return the ARN of a new HTTP target group on the port, without targets}
   *
   * @param name its name
   * @param port its port
   */
  public String targetGroup(String name, int port) {
    return elb.createTargetGroup(r -> r.name(name).protocol(ProtocolEnum.HTTP).port(port).vpcId(vpc))
        .targetGroups().get(0).targetGroupArn();
  }

  /**
   * {@return the ARN of a new target group of ip targets, the backends, each on its own address and port}
   *
   * @param name its name
   * @param protocol its protocol: HTTP for an ALB's, TCP for an NLB's
   * @param targets the backends
   */
  public String ipTargetGroup(String name, ProtocolEnum protocol, LoopbackBackend... targets) {
    String arn = elb.createTargetGroup(r -> r.name(name).protocol(protocol).port(80).vpcId(vpc)
        .targetType(TargetTypeEnum.IP)).targetGroups().get(0).targetGroupArn();
    elb.registerTargets(r -> r.targetGroupArn(arn).targets(Arrays.stream(targets)
        .map(target -> TargetDescription.builder().id(target.host()).port(target.port()).build()).toList()));
    return arn;
  }

  /**
   * {@return the ARN of a new target group of instance targets: for each backend, a new EC2 instance whose private
   * address is the backend's, registered on the backend's port}
   *
   * @param name its name
   * @param protocol its protocol: HTTP for an ALB's, TCP for an NLB's
   * @param targets the backends, each on its own loopback address in 127.0.0.0/24
   */
  public String instanceTargetGroup(String name, ProtocolEnum protocol, LoopbackBackend... targets) {
    String arn = elb.createTargetGroup(r -> r.name(name).protocol(protocol).port(80).vpcId(vpc)
        .targetType(TargetTypeEnum.INSTANCE)).targetGroups().get(0).targetGroupArn();
    elb.registerTargets(r -> r.targetGroupArn(arn).targets(Arrays.stream(targets)
        .map(target -> TargetDescription.builder().id(instance(target.host())).port(target.port()).build())
        .toList()));
    return arn;
  }

  /**
   * {@return the id of a new running EC2 instance with this private address, in a subnet of 127.0.0.0/24 (a second
   * block of the VPC, added the first time)}
   *
   * @param privateIp an address in 127.0.0.0/24
   */
  public synchronized String instance(String privateIp) {
    if (loopbackSubnet == null) {
      ec2.associateVpcCidrBlock(r -> r.vpcId(vpc).cidrBlock("127.0.0.0/24"));
      loopbackSubnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("127.0.0.0/24").availabilityZone(REGION + "a"))
          .subnet().subnetId();
    }
    String subnet = loopbackSubnet;
    return ec2.runInstances(r -> r.imageId("ami-12345678").minCount(1).maxCount(1).subnetId(subnet)
        .privateIpAddress(privateIp)).instances().get(0).instanceId();
  }

  /**
   * {@return the ARN of a new listener that forwards to the target group}
   *
   * @param balancer its load balancer
   * @param protocol HTTP or HTTPS for an ALB, TCP or TLS for an NLB; HTTPS and TLS get a certificate for
   *     {@code orders.internal} imported into ACM
   * @param port its port
   * @param targetGroup the target group's ARN
   */
  public String listener(LoadBalancer balancer, ProtocolEnum protocol, int port, String targetGroup) {
    return listener(balancer, protocol, port, Action.builder().type("forward").targetGroupArn(targetGroup).build());
  }

  /**
   * {@return the ARN of a new listener with the default action}
   *
   * @param balancer its load balancer
   * @param protocol HTTP or HTTPS for an ALB, TCP or TLS for an NLB; HTTPS and TLS get a certificate for
   *     {@code orders.internal} imported into ACM
   * @param port its port
   * @param defaultAction its default action, such as a forward to weighted target groups
   */
  public String listener(LoadBalancer balancer, ProtocolEnum protocol, int port, Action defaultAction) {
    return elb.createListener(r -> {
      r.loadBalancerArn(balancer.loadBalancerArn()).protocol(protocol).port(port).defaultActions(defaultAction);
      if (protocol == ProtocolEnum.HTTPS || protocol == ProtocolEnum.TLS) {
        String imported = certificate();
        r.certificates(c -> c.certificateArn(imported));
      }
    }).listeners().get(0).listenerArn();
  }

  /** The ARN of a certificate for {@code orders.internal}, made in the test and imported into ACM once. */
  private synchronized String certificate() {
    if (certificate == null) {
      SelfSignedCertificate made = SelfSignedCertificate.create("orders.internal");
      try {
        SdkBytes pem = SdkBytes.fromByteArray(Files.readAllBytes(Path.of(made.certificatePath())));
        SdkBytes key = SdkBytes.fromByteArray(Files.readAllBytes(Path.of(made.privateKeyPath())));
        certificate = acm.importCertificate(r -> r.certificate(pem).privateKey(key)).certificateArn();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        made.delete();
      }
    }
    return certificate;
  }

  /** Closes the clients. */
  @Override
  public void close() {
    elb.close();
    ec2.close();
    acm.close();
  }
}
