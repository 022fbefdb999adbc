package dev.gatelink.testing;

import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Runs moto, the AWS API emulator, for a test class: {@code @ExtendWith(MotoServerExtension.class)}, then take
 * a {@link MotoServer} parameter in a test, a {@code @BeforeAll} method or the constructor.
 *
 * <p>Before the class's first test it starts {@code moto_server} from {@code PATH} on a free loopback port
 * (stopped after the class's last test, by its process id). Where {@code moto_server} is not on {@code PATH}
 * but a Docker engine answers, it runs the {@value MotoProvision#IMAGE} image through Testcontainers instead.
 * Where neither is there, the class is skipped with the reason, unless the environment variable {@code CI}
 * is set: then its tests fail with the reason, so that a CI machine without moto is never green by skipping.
 */
public final class MotoServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MotoServerExtension.class);
  private static final int MOTO_PORT = 5000;

  /** Used by JUnit. */
  public MotoServerExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    MotoProvision provision = MotoProvision.decide(System.getenv(), MotoServerExtension::dockerAvailable);
    MotoServer server = switch (provision.kind()) {
      case LOCAL -> MotoServer.start(Objects.requireNonNull(provision.executable()));
      case DOCKER -> startContainer();
      case SKIP -> {
        // Also on stderr: Maven Surefire reports a class skipped before its first test as "Tests run: 0", without
        // the reason.
        System.err.println("MotoServerExtension: skipping " + context.getDisplayName() + ": " + provision.reason());
        yield Assumptions.abort(String.valueOf(provision.reason()));
      }
      case FAIL -> throw new ExtensionConfigurationException(String.valueOf(provision.reason()));
    };
    context.getStore(NAMESPACE).put(MotoServer.class, server);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    MotoServer server = context.getStore(NAMESPACE).remove(MotoServer.class, MotoServer.class);
    if (server != null) {
      server.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == MotoServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    MotoServer server = context.getStore(NAMESPACE).get(MotoServer.class, MotoServer.class);
    if (server == null) {
      throw new ExtensionConfigurationException("no moto server for " + context.getDisplayName()
          + ": MotoServerExtension starts one per test class, before its first test");
    }
    return server;
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static MotoServer startContainer() {
    GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(MotoProvision.IMAGE))
        .withExposedPorts(MOTO_PORT)
        .waitingFor(Wait.forHttp("/moto-api/").forStatusCode(200).withStartupTimeout(MotoServer.START_TIMEOUT));
    container.start();
    URI endpoint = URI.create("http://" + container.getHost() + ":" + container.getMappedPort(MOTO_PORT));
    return new MotoServer(endpoint, MotoProvision.IMAGE + " (container " + container.getContainerId() + ") on "
        + endpoint, container::stop);
  }
}
