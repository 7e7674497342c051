package dev.rlhf.lm.checkpoint;

import java.nio.file.Path;

/**
 * Where the checkpoint of a model version lies: the directory of its name right under the
 * checkpoints root. Names arrive from other services (training commands, published and promoted
 * versions over Kafka), so a name is never taken as a path: an absolute one, one with a separator,
 * {@code .} or {@code ..}, or anything that would lead outside the root once normalised is refused.
 */
public final class VersionDirectories {

  private VersionDirectories() {}

  /**
   * The directory of {@code version} under {@code root} (it need not exist).
   *
   * @throws IllegalArgumentException when the name is no plain directory name
   */
  public static Path of(Path root, String version) {
    if (version == null
        || version.isBlank()
        || version.equals(".")
        || version.equals("..")
        || version.indexOf('/') >= 0
        || version.indexOf('\\') >= 0
        || version.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "'" + version + "' is no version name: checkpoints are named, not given by path");
    }
    Path base = root.toAbsolutePath().normalize();
    Path directory = base.resolve(version).normalize();
    if (!directory.getParent().equals(base)) {
      throw new IllegalArgumentException("version " + version + " would lie outside " + base);
    }
    return directory;
  }
}
