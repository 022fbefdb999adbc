package dev.gatelink.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a test class gets moto from, for every combination of PATH, Docker and CI. */
class MotoProvisionTest {
  private static final String REASON = "moto_server is not on PATH and no Docker engine answers: install moto's"
      + " server (pip install 'moto[server]==5.2.1') or start Docker to run these tests";

  @TempDir
  Path dir;

  private final AtomicInteger dockerAsked = new AtomicInteger();

  private BooleanSupplier docker(boolean answer) {
    return () -> {
      dockerAsked.incrementAndGet();
      return answer;
    };
  }

  private Path executable(String directory) throws Exception {
    Path folder = Files.createDirectories(dir.resolve(directory));
    Path file = folder.resolve("moto_server");
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  @Test
  void motoServerOnPathIsUsedWithoutAskingDocker() throws Exception {
    Path first = executable("a");
    executable("b");
    String path = dir.resolve("empty") + ":" + dir.resolve("a") + ":" + dir.resolve("b");

    MotoProvision provision = MotoProvision.decide(Map.of("PATH", path, "CI", "true"), docker(true));

    assertThat(provision).isEqualTo(new MotoProvision(MotoProvision.Kind.LOCAL, first, null));
    assertThat(dockerAsked).hasValue(0);
  }

  @Test
  void aFileThatIsNotExecutableIsNotMotoServer() throws Exception {
    Path file = executable("a");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    MotoProvision provision = MotoProvision.decide(Map.of("PATH", dir.resolve("a").toString()), docker(false));

    assertThat(provision.kind()).isEqualTo(MotoProvision.Kind.SKIP);
  }

  @Test
  void withoutMotoServerDockerRunsTheImage() {
    MotoProvision provision = MotoProvision.decide(Map.of("PATH", dir.toString()), docker(true));

    assertThat(provision).isEqualTo(new MotoProvision(MotoProvision.Kind.DOCKER, null, null));
    assertThat(dockerAsked).hasValue(1);
  }

  @Test
  void withNeitherTheClassIsSkippedWithTheReason() {
    MotoProvision provision = MotoProvision.decide(Map.of("PATH", dir.toString()), docker(false));

    assertThat(provision).isEqualTo(new MotoProvision(MotoProvision.Kind.SKIP, null, REASON));
  }

  @Test
  void withNeitherOnCiTheClassFailsWithTheReason() {
    MotoProvision provision = MotoProvision.decide(Map.of("PATH", dir.toString(), "CI", "true"), docker(false));

    assertThat(provision).isEqualTo(
        new MotoProvision(MotoProvision.Kind.FAIL, null, "CI is set, so this is an error: " + REASON));
  }

  @Test
  void anEmptyCiVariableIsNotCi() {
    MotoProvision provision = MotoProvision.decide(Map.of("CI", ""), docker(false));

    assertThat(provision).isEqualTo(new MotoProvision(MotoProvision.Kind.SKIP, null, REASON));
  }
}
