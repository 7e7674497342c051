package dev.rlhf.testing;

/**
 * For tests of native code that reads memory the JVM owns: a native array over a Java direct buffer
 * reads freed memory once the buffer is collected, which happens only when the collector happens to
 * run. Calling {@link #collect()} where it could run makes such a read show every time.
 */
public final class FreedMemory {

  private FreedMemory() {}

  /** Collects unreachable objects and gives the JVM time to free their direct buffers. */
  public static void collect() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(30);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
