package dev.gatelink.examples.gateway;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives the runner credentials for moto around each test: the runner takes them from the SDK's default chain
 * (here the {@code aws.accessKeyId} and {@code aws.secretAccessKey} system properties), and any values do for moto.
 */
final class RunnerAwsCredentials implements BeforeEachCallback, AfterEachCallback {
  @Override
  public void beforeEach(ExtensionContext context) {
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
  }

  @Override
  public void afterEach(ExtensionContext context) {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }
}
