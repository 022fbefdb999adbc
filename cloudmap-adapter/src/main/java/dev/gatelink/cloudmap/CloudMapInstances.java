package dev.gatelink.cloudmap;

import dev.gatelink.target.Endpoint;
import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.servicediscovery.model.HttpInstanceSummary;

/**
 * Turns the instances {@code DiscoverInstances} returned into endpoints, as API Gateway does (spec 3.1): the
 * address is {@code AWS_INSTANCE_IPV4}, else {@code AWS_INSTANCE_IPV6}; the port is {@code AWS_INSTANCE_PORT}.
 * An instance without a usable address or port is skipped, with the reason, and never fails the rest.
 *
 * @param endpoints one per usable instance, in Cloud Map's order, each address and port once
 * @param skipped why each unusable instance was left out ({@code instance ID: reason}), in Cloud Map's order
 * @param instanceIds the ids of the instances at each endpoint (several instances may share an address)
 */
record CloudMapInstances(List<Endpoint> endpoints, List<String> skipped, Map<Endpoint, List<String>> instanceIds) {
  static final String IPV4 = "AWS_INSTANCE_IPV4";
  static final String IPV6 = "AWS_INSTANCE_IPV6";
  static final String PORT = "AWS_INSTANCE_PORT";

  CloudMapInstances {
    endpoints = List.copyOf(endpoints);
    skipped = List.copyOf(skipped);
    instanceIds = Map.copyOf(instanceIds);
  }

  /** Endpoints without instance ids (tests, benchmarks). */
  CloudMapInstances(List<Endpoint> endpoints, List<String> skipped) {
    this(endpoints, skipped, Map.of());
  }

  /** {@return the endpoints of these instances, and the instances left out with why} */
  static CloudMapInstances of(List<HttpInstanceSummary> instances) {
    Set<Endpoint> endpoints = new LinkedHashSet<>();
    List<String> skipped = new ArrayList<>();
    Map<Endpoint, List<String>> ids = new HashMap<>();
    for (HttpInstanceSummary instance : instances) {
      Map<String, String> attributes = instance.attributes();
      String problem = null;
      String host = attributes.get(IPV4);
      if (host != null) {
        if (!NetUtil.isValidIpV4Address(host)) {
          problem = IPV4 + " '" + host + "' is not an IPv4 address";
        }
      } else {
        host = attributes.get(IPV6);
        if (host == null) {
          problem = "no " + IPV4 + " or " + IPV6 + " attribute";
        } else if (!NetUtil.isValidIpV6Address(host)) {
          problem = IPV6 + " '" + host + "' is not an IPv6 address";
        }
      }
      String port = attributes.get(PORT);
      if (problem == null) {
        if (port == null) {
          problem = "no " + PORT + " attribute";
        } else if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535) {
          problem = PORT + " '" + port + "' is not a port from 1 to 65535";
        }
      }
      if (problem != null) {
        skipped.add("instance " + instance.instanceId() + ": " + problem);
      } else {
        Endpoint endpoint = Endpoint.of(host, Integer.parseInt(port));
        endpoints.add(endpoint);
        ids.computeIfAbsent(endpoint, e -> new ArrayList<>()).add(instance.instanceId());
      }
    }
    Map<Endpoint, List<String>> instanceIds = new HashMap<>();
    ids.forEach((endpoint, list) -> instanceIds.put(endpoint, List.copyOf(list)));
    return new CloudMapInstances(new ArrayList<>(endpoints), skipped, instanceIds);
  }
}
