/**
 * The load benchmark's Java programs: a backend, the {@code vertx-http-proxy} peer and an open-loop load
 * generator, each a {@code main} run from {@code benchmarks/target/benchmarks.jar} by
 * {@code benchmarks/scripts/load-bench.sh}.
 *
 * <p>Starting points: {@link dev.gatelink.benchmarks.load.HelloBackend} (the backend every target forwards to),
 * {@link dev.gatelink.benchmarks.load.HttpProxyPeer} (Vert.x's own reverse proxy, measured as a peer) and
 * {@link dev.gatelink.benchmarks.load.OpenLoopLoad} (fixed-rate load whose latencies are measured from each
 * request's intended send time, so coordinated omission is corrected).
 */
@NullMarked
package dev.gatelink.benchmarks.load;

import org.jspecify.annotations.NullMarked;
