package dev.rlhf.labeling.registry;

import dev.rlhf.events.contract.ModelVersionPublished;
import dev.rlhf.events.contract.PolicyEvaluation;
import dev.rlhf.events.contract.PolicyVersionPromoted;
import dev.rlhf.labeling.domain.Project;
import dev.rlhf.labeling.outbox.Outbox;
import dev.rlhf.labeling.service.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Records the versions trainers publish, and promotes policy versions. */
@ApplicationScoped
public class RegistryService {

  /**
   * What a promotion did: when, and which projects got how many completion requests.
   *
   * @param projectsFrom {@code LINEAGE} when the projects are those whose labels trained the
   *     version, {@code REQUEST} when the researcher named them
   */
  public record Promotion(
      String version,
      Instant promotedAt,
      int completionRequests,
      String projectsFrom,
      List<ProjectRequests> projects) {}

  /** The fresh completion requests one project got from a promotion. */
  public record ProjectRequests(UUID id, String name, int completionRequests) {}

  private static final int MAX_OVERRIDE_LENGTH = 2000;

  private final EntityManager entityManager;
  private final Outbox outbox;
  private final ClosedLoop loop;
  private final LineageQueries lineage;

  RegistryService(
      EntityManager entityManager, Outbox outbox, ClosedLoop loop, LineageQueries lineage) {
    this.entityManager = entityManager;
    this.outbox = outbox;
    this.loop = loop;
    this.lineage = lineage;
  }

  /**
   * Adds a published version with the labels it was trained on. A version published twice keeps its
   * first record: a version name names one checkpoint.
   *
   * @param rewardVersion the reward model a PPO version was trained against, from its run
   * @param notes warnings of the platform's own to keep beside the trainer's
   * @param evaluation the event's evaluation as the platform judges it (see TrainingEventHandler)
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void record(
      ModelVersionPublished event,
      String rewardVersion,
      List<String> notes,
      PolicyEvaluation evaluation) {
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
    List<String> warnings = new ArrayList<>(event.warnings());
    warnings.addAll(notes);
    version.warnings = warnings;
    version.evaluation = evaluation;
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
   * and, in the same transaction, asks it for fresh completions to rank in the projects it serves.
   * Promoting an older version again is how a researcher rolls back.
   *
   * <p>A version is promoted when its evaluation passed, or with an override: the researcher's
   * reason, kept with the version (the blind arena is the human check that may justify it).
   *
   * @param projects the projects whose prompts get fresh completions; null: those whose labels
   *     trained the version (through its lineage)
   * @param override why to promote a version whose evaluation did not pass; null otherwise
   */
  @Transactional
  public Promotion promote(
      String versionName, List<UUID> projects, String override, String promotedBy) {
    ModelVersion version = find(versionName);
    if (version.kind != ModelVersionPublished.Kind.POLICY) {
      throw ApiProblem.invalid(
          "version", versionName + " is a reward model; only policies are served");
    }
    boolean passed = version.evaluation != null && version.evaluation.passed();
    String reason = override == null || override.isBlank() ? null : override.strip();
    if (!passed && reason == null) {
      throw ApiProblem.conflict(
          "override",
          versionName
              + (version.evaluation == null
                  ? " has no evaluation"
                  : " did not pass its evaluation: "
                      + String.join("; ", version.evaluation.reasons()))
              + ". Promote it with an override that gives the reason.");
    }
    if (reason != null && reason.length() > MAX_OVERRIDE_LENGTH) {
      throw ApiProblem.invalid("override", "the reason is longer than " + MAX_OVERRIDE_LENGTH);
    }
    version.promotionOverride = passed ? null : reason;
    List<Project> chosen =
        projects == null
            ? lineage.projectsOf(version.version).stream()
                .map(id -> Project.<Project>findById(id))
                .toList()
            : named(projects);
    Instant now = Instant.now();
    version.promotedAt = now;
    version.promotedBy = promotedBy;
    outbox.record(
        new PolicyVersionPromoted(
            UUID.randomUUID(), now, version.version, version.checkpointPath, promotedBy));
    Map<UUID, Integer> requests =
        loop.requestFreshCompletions(
            version.version, chosen.stream().map(p -> p.id).toList(), promotedBy);
    return new Promotion(
        version.version,
        now,
        requests.values().stream().mapToInt(Integer::intValue).sum(),
        projects == null ? "LINEAGE" : "REQUEST",
        chosen.stream()
            .map(p -> new ProjectRequests(p.id, p.name, requests.getOrDefault(p.id, 0)))
            .toList());
  }

  private static List<Project> named(List<UUID> ids) {
    List<Project> out = new ArrayList<>();
    for (UUID id : new LinkedHashSet<>(ids)) {
      if (id == null) throw ApiProblem.invalid("projects", "projects holds a null id");
      Project project = Project.findById(id);
      if (project == null) throw ApiProblem.invalid("projects", "no project " + id);
      out.add(project);
    }
    return out;
  }
}
