package dev.rlhf.runtime.security;

import dev.rlhf.events.contract.RuntimeKeyIssued;
import dev.rlhf.events.contract.RuntimeKeyRevoked;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The live keys admins issued (their digests, by key id), as {@link RuntimeKeyEvents} tells. */
@ApplicationScoped
public class IssuedKeys {

  private record Key(String name, String digest) {}

  private final Map<UUID, Key> keys = new ConcurrentHashMap<>();

  void issued(RuntimeKeyIssued event) {
    keys.put(event.keyId(), new Key(event.name(), event.tokenSha256()));
  }

  void revoked(RuntimeKeyRevoked event) {
    keys.remove(event.keyId());
  }

  /** The name of the live key with this digest. */
  Optional<String> nameOf(String digest) {
    return keys.values().stream().filter(k -> k.digest.equals(digest)).map(Key::name).findFirst();
  }
}
