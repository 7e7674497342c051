package dev.rlhf.events.contract;

import dev.rlhf.events.Topic;
import java.time.Instant;
import java.util.UUID;

/** An admin revoked a runtime key: the runtime refuses it from now on. */
public record RuntimeKeyRevoked(UUID eventId, Instant occurredAt, UUID keyId)
    implements PlatformEvent {

  public RuntimeKeyRevoked {
    Require.present(eventId, "eventId");
    Require.present(occurredAt, "occurredAt");
    Require.present(keyId, "keyId");
  }

  @Override
  public Topic topic() {
    return Topic.RUNTIME_KEYS;
  }

  @Override
  public String key() {
    return keyId.toString();
  }
}
