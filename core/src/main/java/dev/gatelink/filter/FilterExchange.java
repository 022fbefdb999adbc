package dev.gatelink.filter;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request as the filters see it: its {@code $context}, the client's request, the request the backend
 * will get (request step), and the response the client will get (response step).
 *
 * <p>Used only on the request's event loop, during the step it is given to.
 */
public interface FilterExchange extends ExchangeContext {
  /** {@return the client's request; do not read its body or answer it: use the exchange} */
  HttpServerRequest clientRequest();

  /** {@return the request the integration will get; changes in the request step apply} */
  BackendRequest backendRequest();

  /**
   * A path parameter of the route that matched, decoded.
   *
   * @param name the variable's name, such as {@code id} for {@code {id}} or {@code proxy} for {@code {proxy+}}
   * @return its value, or null if the route has no such variable
   */
  @Nullable String pathParameter(String name);

  /** {@return the request path without the stage segment, raw, as routes were matched against it} */
  String routePath();

  /** {@return the stage's variables} */
  Map<String, String> stageVariables();

  /**
   * Reads the start of the request body before the request goes on: at most {@code maxBytes} bytes, or the
   * whole body if it is shorter. The bytes read are still sent to the backend, followed by the rest of the
   * body as it streams. Call it from a request step and return {@link FilterResult#await} on what follows.
   *
   * @param maxBytes the most bytes to read, at least 0
   * @return the bytes read, completed on the request's event loop
   */
  Future<Buffer> requestBodyStart(int maxBytes);

  /** {@return true once the response step runs on the integration's response, false on the gateway's own answer} */
  boolean integrationResponded();

  /** {@return the status the client will get; valid in the response step} */
  int responseStatus();

  /**
   * Changes the status the client will get, in the response step.
   *
   * @param status 100 to 599
   */
  void responseStatus(int status);

  /** {@return the headers the client will get; changes in the response step apply} */
  MultiMap responseHeaders();

  /**
   * The start of the integration's response body, in the response step, when a filter asked for it with
   * {@link GatewayFilter#needsResponseBody(int)}: at most {@link GatewayFilter#RESPONSE_BODY_PREFIX_BYTES} bytes.
   *
   * @return the bytes, or null when no filter asked or the gateway answered itself
   */
  @Nullable Buffer responseBodyStart();
}
