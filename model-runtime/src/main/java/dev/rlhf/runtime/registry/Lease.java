package dev.rlhf.runtime.registry;

import dev.rlhf.lm.LanguageModel;

/** The right to use a version's network until closed; hold it for one generation. */
public final class Lease implements AutoCloseable {

  private final PolicyVersion version;
  private boolean released;

  Lease(PolicyVersion version) {
    this.version = version;
  }

  public String versionName() {
    return version.name();
  }

  public LanguageModel network() {
    return version.network();
  }

  PolicyVersion version() {
    return version;
  }

  @Override
  public void close() {
    if (!released) {
      released = true;
      version.release();
    }
  }
}
