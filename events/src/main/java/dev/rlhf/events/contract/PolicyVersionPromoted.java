package dev.rlhf.events.contract;

import dev.rlhf.events.Topic;
import java.time.Instant;
import java.util.UUID;

/** A researcher promoted a policy version: the runtime serves it as the default from now on. */
public record PolicyVersionPromoted(
    UUID eventId, Instant occurredAt, String version, String checkpointPath, String promotedBy)
    implements PlatformEvent {

  public PolicyVersionPromoted {
    Require.present(eventId, "eventId");
    Require.present(occurredAt, "occurredAt");
    VersionName.require(version, "version");
    Require.text(checkpointPath, "checkpointPath");
  }

  @Override
  public Topic topic() {
    return Topic.MODEL_VERSIONS;
  }

  @Override
  public String key() {
    return version;
  }
}
