package dev.gatelink.benchmarks.load;

import dev.gatelink.testing.LoopbackDnsServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * The ALB benchmark's AWS side: in moto (its endpoint given), an application load balancer whose HTTP listener,
 * on the backend's port, forwards to a target group with one ip target, the backend; and a DNS server on
 * loopback that answers the load balancer's name with the backend's address (TTL 60 s, as ALB's). The listener
 * has a few rules in front of the default one (paths and headers the benchmark's requests do not match), so
 * that in-process rules evaluate them as a real listener's.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.gatelink.benchmarks.load.AlbBenchFixture \
 *     --moto http://127.0.0.1:5000 --backend-host 127.0.0.1 --backend-port 18080 [--rules 10]
 * </pre>
 *
 * <p>It prints {@code listener ARN}, then {@code dns HOST:PORT}, then serves DNS until the process is stopped.
 */
public final class AlbBenchFixture {
  private static final String USAGE = "AlbBenchFixture --moto URL --backend-host HOST --backend-port PORT [--rules 10]";

  private AlbBenchFixture() {}

  /**
   * Arranges the load balancer and serves its name.
   *
   * @param args the command line
   * @throws Exception if moto cannot be reached or the DNS server cannot start
   */
  public static void main(String[] args) throws Exception {
    CommandLine.run(USAGE, () -> {
      CommandLine options = CommandLine.parse("AlbBenchFixture", args,
          List.of("moto", "backend-host", "backend-port", "rules"));
      URI moto = URI.create(options.required("moto"));
      String host = options.required("backend-host");
      int port = Integer.parseInt(options.required("backend-port"));
      int rules = Integer.parseInt(options.string("rules", "10"));
      StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("bench",
          "bench"));
      String listener;
      LoadBalancer balancer;
      try (Ec2Client ec2 = Ec2Client.builder().endpointOverride(moto).region(Region.US_EAST_1)
              .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
          ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.builder().endpointOverride(moto)
              .region(Region.US_EAST_1).credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create())
              .build()) {
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        List<String> subnets = List.of(
            ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a")).subnet()
                .subnetId(),
            ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b")).subnet()
                .subnetId());
        balancer = elb.createLoadBalancer(r -> r.name("bench").subnets(subnets).scheme("internal"))
            .loadBalancers().get(0);
        String group = elb.createTargetGroup(r -> r.name("bench").protocol(ProtocolEnum.HTTP).port(port).vpcId(vpc)
            .targetType(TargetTypeEnum.IP)).targetGroups().get(0).targetGroupArn();
        elb.registerTargets(r -> r.targetGroupArn(group).targets(t -> t.id(host).port(port)));
        listener = elb.createListener(r -> r.loadBalancerArn(balancer.loadBalancerArn()).protocol(ProtocolEnum.HTTP)
            .port(port).defaultActions(a -> a.type("forward").targetGroupArn(group))).listeners().get(0)
            .listenerArn();
        for (int i = 1; i <= rules; i++) {
          int priority = i;
          if (i % 2 == 0) {
            elb.createRule(r -> r.listenerArn(listener).priority(priority)
                .conditions(c -> c.field("path-pattern").pathPatternConfig(p -> p.values("/other-" + priority + "/*")))
                .actions(a -> a.type("forward").targetGroupArn(group)));
          } else {
            elb.createRule(r -> r.listenerArn(listener).priority(priority)
                .conditions(c -> c.field("http-header").httpHeaderConfig(h -> h.httpHeaderName("x-team")
                    .values("team-" + priority)))
                .actions(a -> a.type("fixed-response").fixedResponseConfig(f -> f.statusCode("404"))));
          }
        }
      }
      LoopbackDnsServer dns = LoopbackDnsServer.start();
      dns.answer(balancer.dnsName(), Duration.ofSeconds(60), host);
      System.out.println("listener " + listener);
      System.out.println("dns " + dns.nameServer());
      System.out.flush();
      new CountDownLatch(1).await();
    });
  }
}
