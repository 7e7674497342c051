package dev.rlhf.labeling.registry;

import dev.rlhf.events.contract.ModelVersionPublished;
import dev.rlhf.events.contract.PolicyVersionPromoted;
import dev.rlhf.labeling.outbox.Outbox;
import dev.rlhf.labeling.service.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/** Records the versions trainers publish, and promotes policy versions. */
@ApplicationScoped
public class RegistryService {

  /** What a promotion did: when, and how many completion requests the closed loop made. */
  public record Promotion(String version, Instant promotedAt, int completionRequests) {}

  private final EntityManager entityManager;
  private final Outbox outbox;
  private final ClosedLoop loop;

  RegistryService(EntityManager entityManager, Outbox outbox, ClosedLoop loop) {
    this.entityManager = entityManager;
    this.outbox = outbox;
    this.loop = loop;
  }

  /**
   * Adds a published version with the labels it was trained on. A version published twice keeps its
   * first record: a version name names one checkpoint.
   *
   * @param rewardVersion the reward model a PPO version was trained against, from its run
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void record(ModelVersionPublished event, String rewardVersion) {
    if (ModelVersion.findById(event.version()) != null) return;
    ModelVersion version = new ModelVersion();
    version.version = event.version();
    version.kind = event.kind();
    version.parentVersion = event.parentVersion();
    version.rewardVersion = rewardVersion;
    version.cycleId = event.cycleId();
    version.runId = event.runId();
    version.stage = event.stage();
    version.checkpointPath = event.checkpointPath();
    version.metrics = event.metrics();
    version.publishedAt = event.occurredAt();
    version.persist();
    entityManager.flush();
    for (UUID eventId : event.labelEventIds()) {
      entityManager
          .createNativeQuery(
              "insert into model_version_label (version, event_id) values (?1, ?2)"
                  + " on conflict do nothing")
          .setParameter(1, version.version)
          .setParameter(2, eventId)
          .executeUpdate();
    }
  }

  public ModelVersion find(String version) {
    ModelVersion found = version == null ? null : ModelVersion.findById(version);
    if (found == null) throw ApiProblem.notFound("version " + version);
    return found;
  }

  /**
   * Makes a policy version the one the runtime serves (PolicyVersionPromoted through the outbox)
   * and, in the same transaction, asks it for fresh completions to rank. Promoting an older version
   * again is how a researcher rolls back.
   */
  @Transactional
  public Promotion promote(String versionName, String promotedBy) {
    ModelVersion version = find(versionName);
    if (version.kind != ModelVersionPublished.Kind.POLICY) {
      throw ApiProblem.invalid(
          "version", versionName + " is a reward model; only policies are served");
    }
    Instant now = Instant.now();
    version.promotedAt = now;
    version.promotedBy = promotedBy;
    outbox.record(
        new PolicyVersionPromoted(
            UUID.randomUUID(), now, version.version, version.checkpointPath, promotedBy));
    int requests = loop.requestFreshCompletions(version.version, promotedBy);
    return new Promotion(version.version, now, requests);
  }
}
