package dev.rlhf.events.contract;

import dev.rlhf.events.Topic;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An admin issued a key for a client of the model runtime. Only the key's SHA-256 digest (hex)
 * travels: the runtime compares the digest of a bearer token with it, so the topic holds no key.
 */
public record RuntimeKeyIssued(
    UUID eventId, Instant occurredAt, UUID keyId, String name, String tokenSha256)
    implements PlatformEvent {

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  public RuntimeKeyIssued {
    Require.present(eventId, "eventId");
    Require.present(occurredAt, "occurredAt");
    Require.present(keyId, "keyId");
    Require.text(name, "name");
    if (tokenSha256 == null || !SHA256_HEX.matcher(tokenSha256).matches()) {
      throw new IllegalArgumentException("tokenSha256 must be 64 lower-case hex digits");
    }
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
