package dev.rlhf.runtime.registry;

import ai.djl.Device;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.Checkpoints;
import java.nio.file.Path;

/**
 * One loaded policy network, reference-counted: a version taken out of service ({@link #retire})
 * frees its native memory only when its last in-flight generation has released it.
 */
public final class PolicyVersion {

  private final String name;
  private final Path checkpoint;
  private final LanguageModel network;
  private int leases;
  private boolean retired;
  private boolean closed;
  private volatile long lastUsedNanos = System.nanoTime();

  private PolicyVersion(String name, Path checkpoint, LanguageModel network) {
    this.name = name;
    this.checkpoint = checkpoint;
    this.network = network;
  }

  static PolicyVersion load(String name, Path checkpoint, Device device) {
    return new PolicyVersion(name, checkpoint, Checkpoints.load(checkpoint, device));
  }

  public String name() {
    return name;
  }

  public Path checkpoint() {
    return checkpoint;
  }

  public LanguageModel network() {
    return network;
  }

  long lastUsedNanos() {
    return lastUsedNanos;
  }

  /** Takes a lease; false once the version is retired (the caller looks it up again). */
  synchronized boolean tryAcquire() {
    if (retired) {
      return false;
    }
    leases++;
    lastUsedNanos = System.nanoTime();
    return true;
  }

  synchronized void release() {
    leases--;
    closeIfIdle();
  }

  /** No new leases; the network closes as soon as no generation uses it. */
  synchronized void retire() {
    retired = true;
    closeIfIdle();
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  private void closeIfIdle() {
    if (retired && leases == 0 && !closed) {
      closed = true;
      network.close();
    }
  }
}
