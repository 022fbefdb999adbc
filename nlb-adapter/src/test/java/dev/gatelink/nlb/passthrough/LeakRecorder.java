package dev.gatelink.nlb.passthrough;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records Netty's leak reports (at the PARANOID level every buffer is tracked) so that a test can fail on one
 * instead of a {@code LEAK:} line in a log. Installed before the first buffer class is loaded.
 */
final class LeakRecorder {
  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
      @Override
      public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
          long maxActive) {
        return new ResourceLeakDetector<T>(resource, samplingInterval) {
          @Override
          protected boolean needReport() {
            return true;
          }

          @Override
          protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add(resourceType + records);
          }

          @Override
          protected void reportUntracedLeak(String resourceType) {
            LEAKS.add(resourceType);
          }
        };
      }
    });
  }

  private LeakRecorder() {}

  /** Installs the recorder (its static initializer does). */
  static void install() {}

  /** {@return the leaks reported after a few collections, each followed by allocations that poll the reports} */
  static List<String> leaksAfterGc() {
    for (int round = 0; round < 5; round++) {
      System.gc();
      for (int i = 0; i < 64; i++) {
        ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        probe.release();
      }
    }
    return List.copyOf(LEAKS);
  }
}
