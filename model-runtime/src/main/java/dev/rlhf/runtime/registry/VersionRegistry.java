package dev.rlhf.runtime.registry;

import ai.djl.Device;
import dev.rlhf.lm.Devices;
import dev.rlhf.runtime.config.RuntimeSettings;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy versions this runtime knows (announced on Kafka, or the base it started with), which
 * of them are loaded, and which one is the promoted default.
 *
 * <p>Swapping never drops a request: a generation holds a {@link Lease} on its version, and a
 * replaced or unloaded version only closes after its last lease is released. Networks are loaded
 * outside the lock, so a slow load does not stall requests for other versions.
 */
@ApplicationScoped
public class VersionRegistry {

  /**
   * What {@code /v1/models} shows of a version.
   *
   * @param created when this runtime first heard of it, in Unix seconds
   */
  public record VersionInfo(
      String name, Path checkpoint, boolean loaded, boolean isDefault, long created) {}

  private final Map<String, Path> known = new LinkedHashMap<>();
  private final Map<String, Long> announcedAt = new HashMap<>();
  private final Map<String, PolicyVersion> loaded = new HashMap<>();
  private final int maxLoaded;
  private final BasePreparation base;
  private volatile Device device;
  private String defaultName;

  VersionRegistry(RuntimeSettings settings, BasePreparation base) {
    this.maxLoaded = Math.max(1, settings.maxLoadedVersions());
    this.base = base;
  }

  /** Records a version; a version re-announced with another checkpoint is reloaded on next use. */
  public void announce(String name, Path checkpoint) {
    synchronized (this) {
      Path before = known.put(name, checkpoint);
      announcedAt.putIfAbsent(name, Instant.now().getEpochSecond());
      if (before != null && !before.equals(checkpoint)) {
        PolicyVersion stale = loaded.remove(name);
        if (stale != null) {
          stale.retire();
        }
      }
    }
  }

  /** Makes {@code name} the default, loading it first so the switch itself is instant. */
  public void promote(String name, Path checkpoint) {
    announce(name, checkpoint);
    ensureLoaded(name);
    synchronized (this) {
      defaultName = name;
    }
    Log.infof("serving policy version %s by default (%s)", name, checkpoint);
  }

  /** Serves {@code name} as the default only while nothing has been promoted. */
  public void serveBase(String name, Path checkpoint) {
    announce(name, checkpoint);
    synchronized (this) {
      if (defaultName != null) {
        return;
      }
    }
    ensureLoaded(name);
    synchronized (this) {
      if (defaultName == null) {
        defaultName = name;
        Log.infof("serving base %s by default until a policy version is promoted", name);
      }
    }
  }

  /**
   * A lease on a version's network.
   *
   * @param requested a version name; null, blank or {@code "default"}: the promoted default
   * @throws UnknownVersionException when no such version was announced
   * @throws NoVersionServedException when the default, or the base by name, is asked for before the
   *     base is ready
   */
  public Lease lease(String requested) {
    while (true) {
      String name = resolve(requested);
      PolicyVersion version = ensureLoaded(name);
      if (version.tryAcquire()) {
        return new Lease(version);
      }
    }
  }

  /** Name of the version that {@code "default"} means now, or null while none is loaded. */
  public synchronized String defaultVersion() {
    return defaultName;
  }

  public synchronized List<VersionInfo> versions() {
    List<VersionInfo> out = new ArrayList<>();
    known.forEach(
        (name, path) ->
            out.add(
                new VersionInfo(
                    name,
                    path,
                    loaded.containsKey(name),
                    name.equals(defaultName),
                    announcedAt.get(name))));
    return out;
  }

  private synchronized String resolve(String requested) {
    if (requested == null || requested.isBlank() || requested.equals("default")) {
      if (defaultName == null) {
        throw new NoVersionServedException(base.status());
      }
      return defaultName;
    }
    if (!known.containsKey(requested)) {
      BasePreparation.Status status = base.status();
      if (requested.equals(status.version()) && status.state() != BasePreparation.State.READY) {
        throw new NoVersionServedException(status);
      }
      throw new UnknownVersionException(requested);
    }
    return requested;
  }

  private PolicyVersion ensureLoaded(String name) {
    Path checkpoint;
    synchronized (this) {
      PolicyVersion present = loaded.get(name);
      if (present != null) {
        return present;
      }
      checkpoint = known.get(name);
    }
    PolicyVersion fresh = PolicyVersion.load(name, checkpoint, device());
    synchronized (this) {
      PolicyVersion raced = loaded.get(name);
      if (raced != null || !checkpoint.equals(known.get(name))) {
        fresh.retire();
        return raced != null ? raced : ensureLoaded(name);
      }
      loaded.put(name, fresh);
      Log.infof("loaded policy version %s from %s", name, checkpoint);
      evictBeyondLimit(name);
      return fresh;
    }
  }

  /** Unloads the least recently used versions other than the default and the one just loaded. */
  private void evictBeyondLimit(String keep) {
    while (loaded.size() > maxLoaded) {
      PolicyVersion victim =
          loaded.values().stream()
              .filter(v -> !v.name().equals(keep) && !v.name().equals(defaultName))
              .min(Comparator.comparingLong(PolicyVersion::lastUsedNanos))
              .orElse(null);
      if (victim == null) {
        return;
      }
      loaded.remove(victim.name());
      victim.retire();
      Log.infof("unloaded policy version %s (more than %d loaded)", victim.name(), maxLoaded);
    }
  }

  private Device device() {
    if (device == null) {
      device = Devices.preferred();
    }
    return device;
  }

  @PreDestroy
  synchronized void closeAll() {
    loaded.values().forEach(PolicyVersion::retire);
    loaded.clear();
  }
}
