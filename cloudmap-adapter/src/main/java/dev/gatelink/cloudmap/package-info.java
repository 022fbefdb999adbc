/**
 * AWS Cloud Map targets (in progress: so far the integration uri is parsed and checked, by
 * {@code CloudMapServiceUri}, and the AWS SDK runs on Vert.x's HTTP client, {@code VertxSdkHttpClient}; the
 * target itself is not built yet).
 *
 * <p>This module will turn an API Gateway private integration whose {@code integrationUri} is a Cloud Map
 * service ARN into a Gatelink target: {@code DiscoverInstances} with the ARN's query parameters, a
 * background cache refreshed through {@code DiscoverInstancesRevision} so that Cloud Map is never on the
 * request path, and per-endpoint ejection, plugged into the core target SPI.
 */
@NullMarked
package dev.gatelink.cloudmap;

import org.jspecify.annotations.NullMarked;
