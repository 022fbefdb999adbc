package dev.gatelink.gateway.internal;

import dev.gatelink.target.Endpoint;
import dev.gatelink.target.Target;
import dev.gatelink.target.TlsPolicy;
import dev.gatelink.target.TargetContext;
import dev.gatelink.target.TargetOptionException;
import dev.gatelink.target.TargetProvider;
import dev.gatelink.target.TargetSpec;
import org.jspecify.annotations.Nullable;
import dev.gatelink.internal.IntegrationUris;
import dev.gatelink.internal.HttpUri;

/**
 * The built-in provider of public URLs: {@code http://host:port/...} and {@code https://...}. The endpoint is
 * the URL's host and port (resolved by DNS when connecting), or the override given for {@code host:port} or
 * {@code host} (an IPv6 host written in brackets, {@code [::1]:8080}); over HTTPS the URL's host is sent as SNI and verified, override or not.
 *
 * <p>Public only so that {@link dev.gatelink.gateway.Gateway#urlTargetProvider()} can hand it out (to wrap it, as
 * the target conformance suite does); use that, not this class.
 */
public final class UrlTargetProvider implements TargetProvider {
  /** The provider; stateless, so any number of them behave as one. */
  public UrlTargetProvider() {}

  @Override
  public String name() {
    return "url";
  }

  @Override
  public String accepts() {
    return "http:// and https:// URLs";
  }

  @Override
  public @Nullable Target create(TargetSpec spec, TargetContext context) {
    if (!IntegrationUris.isHttpUrl(spec.uri())) {
      return null;
    }
    if (!spec.options().asMap().isEmpty()) {
      throw new TargetOptionException(spec.options().asMap().keySet().iterator().next(),
          "URL targets take no target options: got " + String.join(", ", spec.options().asMap().keySet()));
    }
    HttpUri uri = HttpUri.parse(spec.uri());
    String host = uri.host().indexOf(':') >= 0 ? "[" + uri.host() + "]" : uri.host();
    Endpoint endpoint = context.override(host + ":" + uri.port());
    if (endpoint == null) {
      endpoint = context.override(host);
    }
    if (endpoint == null) {
      endpoint = Endpoint.of(uri.host(), uri.port());
    }
    return Target.fixed(endpoint, uri.https() ? TlsPolicy.verify(uri.host()) : TlsPolicy.none());
  }
}
