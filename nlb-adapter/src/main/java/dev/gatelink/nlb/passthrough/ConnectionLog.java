package dev.gatelink.nlb.passthrough;

import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Outcome;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one connection of a passthrough listener, delivered once it is closed: either it was relayed
 * to an endpoint (then {@code outcome} is what was reported to the target) or it was refused before an endpoint
 * was picked (then {@code refusal} says why). Exactly one of the two is set.
 *
 * @param client the client's address
 * @param serverName the server name the client's ClientHello asked for, in lower case; null when it sent none
 *     (or no ClientHello)
 * @param offeredAlpn the ALPN protocols the ClientHello offered, in its order (the first 16 at most, each byte
 *     a character); empty when it offered none (or sent no ClientHello)
 * @param route the route taken: its server name ({@code api.example.com}, {@code *.example.com}), or
 *     {@link #DEFAULT_ROUTE}; null when none was
 * @param routeAlpn the ALPN protocol the route was taken for, when it is restricted to some; else null
 * @param endpoint the endpoint picked; null when refused before one was
 * @param bytesFromClient the bytes read from the client once routed (its ClientHello included)
 * @param bytesToClient the bytes read from the endpoint for the client
 * @param zeroCopy whether, after the ClientHello, bytes were relayed with {@code splice} (the native transport's
 *     zero-copy path), at least one way
 * @param duration from accept to close
 * @param outcome what was reported to the route's target, or null when refused
 * @param refusal why the connection was refused, or null when it was relayed
 */
public record ConnectionLog(SocketAddress client, @Nullable String serverName, List<String> offeredAlpn,
    @Nullable String route, @Nullable String routeAlpn, @Nullable Endpoint endpoint, long bytesFromClient,
    long bytesToClient, boolean zeroCopy, Duration duration, @Nullable Outcome outcome, @Nullable Refusal refusal) {

  /** The {@link #route()} of connections that took the default route. */
  public static final String DEFAULT_ROUTE = "$default";

  /**
   * Keeps an unmodifiable copy of the offered protocols (the list itself when it is one already).
   *
   * @param client the client's address
   * @param serverName the server name asked for, or null
   * @param offeredAlpn the ALPN protocols offered, in order
   * @param route the route taken, or null
   * @param routeAlpn the ALPN protocol the route was taken for, or null
   * @param endpoint the endpoint picked, or null
   * @param bytesFromClient the bytes read from the client once routed
   * @param bytesToClient the bytes read from the endpoint for the client
   * @param zeroCopy whether bytes were spliced
   * @param duration from accept to close
   * @param outcome what was reported to the target, or null
   * @param refusal why it was refused, or null
   */
  public ConnectionLog {
    offeredAlpn = List.copyOf(offeredAlpn);
  }

  /** Why a connection was closed before an endpoint was picked. */
  public enum Refusal {
    /**
     * The first bytes were not a TLS ClientHello: not TLS, an SSLv2-style hello, another record type, a handshake
     * record over 2^14 + 2048 bytes, a hello whose fields or extensions overrun it, or a hello over 64 KiB.
     */
    NOT_TLS,
    /** No complete ClientHello came within the hello timeout. */
    HELLO_TIMEOUT,
    /** The client closed or shut its output before its ClientHello was complete. */
    CLIENT_GONE,
    /** The server name matches no route and there is no default route. */
    NO_ROUTE,
    /** The listener had its maximum of connections open. */
    TOO_MANY_CONNECTIONS,
    /** The route's target had its maximum of connections open. */
    TOO_MANY_TARGET_CONNECTIONS,
    /** The route's target had no endpoint to give ({@code select()} failed). */
    NO_ENDPOINT
  }
}
