package dev.gatelink.testing.targets;

import dev.gatelink.config.Integration;
import dev.gatelink.target.TargetProvider;
import dev.gatelink.testing.LoopbackBackend;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The built-in URL target ({@code http://} integration uris) passes the conformance suite. It lives here, not in
 * core, because core's tests cannot depend on this module (it depends on core).
 */
class UrlTargetConformanceTest extends TargetConformance {
  @Override
  protected @Nullable TargetProvider provider() {
    return null;
  }

  @Override
  protected int maxBackends() {
    return 1;
  }

  @Override
  protected Integration integration(List<LoopbackBackend> backends) {
    return Integration.http(backends.get(0).url() + "/{proxy}");
  }

  @Override
  protected Integration refusingIntegration() throws Exception {
    return Integration.http("http://127.0.0.1:" + closedPort() + "/{proxy}");
  }
}
