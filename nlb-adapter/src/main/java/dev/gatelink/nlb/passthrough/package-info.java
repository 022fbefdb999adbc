/**
 * A TLS-passthrough listener: a layer-4 port that reads each connection's TLS ClientHello without consuming or
 * decrypting it, picks a route by its server name (SNI) and ALPN protocols, and relays the connection's bytes, hello
 * first, to an endpoint of the route's {@link dev.gatelink.target.Target} (with {@code splice} on the epoll
 * transport). TLS ends at the backend, as behind a Network Load Balancer's TCP listener.
 *
 * <p>Starting points: {@link dev.gatelink.nlb.passthrough.TlsPassthroughOptions} (routes, timeouts, limits, zero
 * copy), {@link dev.gatelink.nlb.passthrough.SniRoute} (the routing order),
 * {@link dev.gatelink.nlb.passthrough.TlsPassthroughListener#start}, per connection
 * {@link dev.gatelink.nlb.passthrough.ConnectionLog}, and per listener
 * {@link dev.gatelink.nlb.passthrough.PassthroughCounters}.
 */
@NullMarked
package dev.gatelink.nlb.passthrough;

import org.jspecify.annotations.NullMarked;
