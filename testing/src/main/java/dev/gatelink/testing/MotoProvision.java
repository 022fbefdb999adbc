package dev.gatelink.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Where a test class gets its moto from: {@code moto_server} on {@code PATH}, else the moto image through
 * Testcontainers when a Docker engine answers, else nowhere: the class is skipped with the reason, or fails
 * with it when the environment variable {@code CI} is set (a CI machine must have one or the other).
 *
 * @param kind what to do
 * @param executable the {@code moto_server} found, for {@link Kind#LOCAL}
 * @param reason why there is no moto, for {@link Kind#SKIP} and {@link Kind#FAIL}
 */
record MotoProvision(Kind kind, @Nullable Path executable, @Nullable String reason) {
  /** The moto image the Docker fallback runs: the version this project is tested with. */
  static final String IMAGE = "motoserver/moto:5.2.1";

  /** What a test class does for its moto. */
  enum Kind { LOCAL, DOCKER, SKIP, FAIL }

  /**
   * Decides, looking at {@code PATH} first and asking Docker only when {@code moto_server} is not there.
   *
   * @param env the environment: {@code PATH} and {@code CI}
   * @param dockerAvailable whether a Docker engine answers (Testcontainers' check, which takes a moment)
   * @return the decision
   */
  static MotoProvision decide(Map<String, String> env, BooleanSupplier dockerAvailable) {
    Path executable = onPath("moto_server", env.get("PATH"));
    if (executable != null) {
      return new MotoProvision(Kind.LOCAL, executable, null);
    }
    if (dockerAvailable.getAsBoolean()) {
      return new MotoProvision(Kind.DOCKER, null, null);
    }
    String reason = "moto_server is not on PATH and no Docker engine answers: install moto's server"
        + " (pip install 'moto[server]==5.2.1') or start Docker to run these tests";
    String ci = env.get("CI");
    if (ci != null && !ci.isEmpty()) {
      return new MotoProvision(Kind.FAIL, null, "CI is set, so this is an error: " + reason);
    }
    return new MotoProvision(Kind.SKIP, null, reason);
  }

  /** {@return the first executable file of that name in the {@code PATH} list, or null} */
  static @Nullable Path onPath(String name, @Nullable String path) {
    if (path == null) {
      return null;
    }
    for (String directory : path.split(File.pathSeparator)) {
      if (directory.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(directory, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
