package dev.gatelink.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class whose run leaked a Netty buffer (a buffer garbage-collected without being released).
 * Registered for every test class of core through JUnit's extension autodetection; core's Surefire runs with
 * {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is tracked. Netty finds a leak only when
 * the leaked buffer has been collected and another buffer is tracked, so after each class this collects
 * garbage and allocates a few buffers before it looks; a leak may still be found, and reported, in a later
 * class than the one that caused it.
 */
public final class NettyLeakCheck implements AfterAllCallback {
  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

  static {
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
      @Override
      public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
          long maxActive) {
        return new ResourceLeakDetector<>(resource, samplingInterval) {
          @Override
          protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add("LEAK: " + resourceType + records);
          }

          @Override
          protected void reportUntracedLeak(String resourceType) {
            LEAKS.add("LEAK: " + resourceType);
          }
        };
      }
    });
  }

  @Override
  public void afterAll(ExtensionContext context) {
    for (int i = 0; i < 3; i++) {
      System.gc();
      List<ByteBuf> probes = new ArrayList<>();
      for (int j = 0; j < 16; j++) {
        probes.add(PooledByteBufAllocator.DEFAULT.directBuffer(64));
      }
      probes.forEach(ByteBuf::release);
    }
    if (!LEAKS.isEmpty()) {
      List<String> found = List.copyOf(LEAKS);
      LEAKS.clear();
      throw new AssertionError(context.getDisplayName() + " leaked Netty buffers:\n" + String.join("\n", found));
    }
  }
}
