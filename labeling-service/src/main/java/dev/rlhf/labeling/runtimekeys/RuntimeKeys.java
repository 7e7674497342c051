package dev.rlhf.labeling.runtimekeys;

import dev.rlhf.events.contract.RuntimeKeyIssued;
import dev.rlhf.events.contract.RuntimeKeyRevoked;
import dev.rlhf.labeling.outbox.Outbox;
import dev.rlhf.labeling.security.SecretTokens;
import dev.rlhf.labeling.service.ApiProblem;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Keys for clients of the model runtime, issued and revoked by admins like report tokens. The
 * runtime has no database: each change reaches it as an event (through the outbox, in the same
 * transaction), carrying the key's digest only.
 */
@ApplicationScoped
public class RuntimeKeys {

  private static final String PREFIX = "rlhf_mk_";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

  /** A new key: the only time its secret is shown. */
  public record IssuedKey(UUID id, String name, String key, Instant createdAt) {}

  private final Outbox outbox;

  RuntimeKeys(Outbox outbox) {
    this.outbox = outbox;
  }

  @Transactional
  public IssuedKey issue(String name, String createdBy) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw ApiProblem.badRequest("name", "name must be 1-100 letters, digits or ._:-");
    }
    String key = SecretTokens.issue(PREFIX);
    RuntimeApiKey row = new RuntimeApiKey();
    row.id = UUID.randomUUID();
    row.name = name;
    row.tokenHash = SecretTokens.digest(key);
    row.createdBy = createdBy;
    row.createdAt = Instant.now();
    row.persist();
    outbox.record(
        new RuntimeKeyIssued(UUID.randomUUID(), row.createdAt, row.id, row.name, row.tokenHash));
    return new IssuedKey(row.id, row.name, key, row.createdAt);
  }

  /** Refuses the key from now on; revoking twice keeps the first time. */
  @Transactional
  public RuntimeApiKey revoke(UUID id) {
    RuntimeApiKey row = RuntimeApiKey.findById(id);
    if (row == null) throw ApiProblem.notFound("runtime key " + id);
    if (row.revokedAt == null) {
      row.revokedAt = Instant.now();
      outbox.record(new RuntimeKeyRevoked(UUID.randomUUID(), row.revokedAt, row.id));
    }
    return row;
  }

  public List<RuntimeApiKey> list() {
    return RuntimeApiKey.listAll(Sort.by("createdAt"));
  }
}
