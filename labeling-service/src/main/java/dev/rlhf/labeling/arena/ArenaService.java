package dev.rlhf.labeling.arena;

import dev.rlhf.events.contract.CompletionsGenerated;
import dev.rlhf.events.contract.CompletionsRequested;
import dev.rlhf.events.contract.ModelVersionPublished;
import dev.rlhf.events.contract.SamplingSettings;
import dev.rlhf.labeling.domain.Completion;
import dev.rlhf.labeling.domain.ModelText;
import dev.rlhf.labeling.domain.Project;
import dev.rlhf.labeling.domain.Prompt;
import dev.rlhf.labeling.domain.TaskType;
import dev.rlhf.labeling.outbox.Outbox;
import dev.rlhf.labeling.registry.ModelVersion;
import dev.rlhf.labeling.service.ApiProblem;
import dev.rlhf.labeling.service.ProcessedEvents;
import dev.rlhf.labeling.service.ProjectService;
import dev.rlhf.labeling.service.TaskService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/** Puts prompts to two versions and turns each pair of answers into a blind comparison task. */
@ApplicationScoped
public class ArenaService {

  /** The purpose written on the arena's completion requests. */
  public static final String PURPOSE = "arena";

  static final String CONSUMER = "labeling-service.arena";
  private static final int MAX_PROMPTS = 200;
  private static final SecureRandom ORDER = new SecureRandom();

  /** What a researcher asks for: explicit prompts, or a number of random prompts of the project. */
  public record NewMatches(
      UUID projectId,
      String versionA,
      String versionB,
      List<UUID> promptIds,
      Integer prompts,
      SamplingSettings sampling) {}

  private final ProjectService projects;
  private final TaskService tasks;
  private final Outbox outbox;
  private final EntityManager entityManager;
  private final ProcessedEvents processedEvents;

  ArenaService(
      ProjectService projects,
      TaskService tasks,
      Outbox outbox,
      EntityManager entityManager,
      ProcessedEvents processedEvents) {
    this.projects = projects;
    this.tasks = tasks;
    this.outbox = outbox;
    this.entityManager = entityManager;
    this.processedEvents = processedEvents;
  }

  @Transactional
  public List<ArenaMatch> create(NewMatches input, String requestedBy) {
    if (input == null) throw ApiProblem.invalid("projectId", "a JSON body is required");
    Project project = projects.find(input.projectId());
    String a = policy("versionA", input.versionA());
    String b = policy("versionB", input.versionB());
    if (a.equals(b)) throw ApiProblem.invalid("versionB", "compare two different versions");
    SamplingSettings sampling =
        input.sampling() == null ? SamplingSettings.defaults() : input.sampling();
    List<ArenaMatch> made = new ArrayList<>();
    for (UUID promptId : prompts(project.id, input)) {
      Prompt prompt = Prompt.findById(promptId);
      if (prompt == null || !prompt.projectId.equals(project.id)) {
        throw ApiProblem.invalid("promptIds", "no prompt " + promptId + " in this project");
      }
      ArenaMatch match = new ArenaMatch();
      match.id = UUID.randomUUID();
      match.projectId = project.id;
      match.promptId = promptId;
      match.versionA = a;
      match.versionB = b;
      match.requestA = UUID.randomUUID();
      match.requestB = UUID.randomUUID();
      match.requestedBy = requestedBy;
      match.createdAt = Instant.now();
      match.persist();
      request(match.requestA, prompt, a, sampling);
      request(match.requestB, prompt, b, sampling);
      made.add(match);
    }
    return made;
  }

  /**
   * Stores an arena completion and, once both versions answered, opens the comparison task with the
   * two in random order. Other requests' answers are not the arena's and are left alone.
   */
  @Transactional
  public void accept(CompletionsGenerated event) {
    @SuppressWarnings("unchecked")
    List<UUID> ids =
        entityManager
            .createNativeQuery("select id from arena_match where request_a = ?1 or request_b = ?1")
            .setParameter(1, event.requestId())
            .getResultList();
    if (ids.isEmpty()) return;
    if (!processedEvents.firstDelivery(CONSUMER, event.eventId())) return;
    ArenaMatch match =
        entityManager.find(ArenaMatch.class, ids.get(0), LockModeType.PESSIMISTIC_WRITE);
    boolean forA = match.requestA.equals(event.requestId());
    if ((forA ? match.completionA : match.completionB) != null) return;
    Completion completion = new Completion();
    completion.id = UUID.randomUUID();
    completion.promptId = match.promptId;
    completion.text = ModelText.storable(event.completions().get(0).text());
    completion.policyVersion = forA ? match.versionA : match.versionB;
    completion.sampling = event.sampling() == null ? SamplingSettings.defaults() : event.sampling();
    completion.createdAt = Instant.now();
    completion.persist();
    if (forA) match.completionA = completion.id;
    else match.completionB = completion.id;
    if (match.completionA == null || match.completionB == null || match.taskId != null) return;
    List<Completion> shown = new ArrayList<>();
    shown.add(Completion.findById(match.completionA));
    shown.add(Completion.findById(match.completionB));
    if (ORDER.nextBoolean()) java.util.Collections.reverse(shown);
    Project project = Project.findById(match.projectId);
    match.taskId = tasks.open(project, match.promptId, TaskType.COMPARISON, 0, shown, null).id;
  }

  private void request(UUID requestId, Prompt prompt, String version, SamplingSettings sampling) {
    outbox.record(
        new CompletionsRequested(
            UUID.randomUUID(),
            Instant.now(),
            requestId,
            prompt.id,
            prompt.conversation,
            version,
            1,
            sampling,
            PURPOSE));
  }

  @SuppressWarnings("unchecked")
  private List<UUID> prompts(UUID projectId, NewMatches input) {
    if (input.promptIds() != null && !input.promptIds().isEmpty()) {
      if (input.promptIds().size() > MAX_PROMPTS) {
        throw ApiProblem.invalid("promptIds", "at most " + MAX_PROMPTS + " prompts at once");
      }
      return new ArrayList<>(new LinkedHashSet<>(input.promptIds()));
    }
    int count = input.prompts() == null ? 10 : input.prompts();
    if (count < 1 || count > MAX_PROMPTS) {
      throw ApiProblem.invalid("prompts", "ask for 1 to " + MAX_PROMPTS + " prompts");
    }
    List<UUID> chosen =
        entityManager
            .createNativeQuery(
                "select id from prompt where project_id = ?1 order by random() limit ?2")
            .setParameter(1, projectId)
            .setParameter(2, count)
            .getResultList();
    if (chosen.isEmpty()) throw ApiProblem.invalid("prompts", "the project has no prompts");
    return chosen;
  }

  /** A version name; one the registry knows must be a policy, not a reward model. */
  private static String policy(String field, String version) {
    if (version == null || version.isBlank())
      throw ApiProblem.invalid(field, field + " is required");
    String name = version.trim();
    ModelVersion known = ModelVersion.findById(name);
    if (known != null && known.kind != ModelVersionPublished.Kind.POLICY) {
      throw ApiProblem.invalid(field, name + " is a reward model, not a policy");
    }
    return name;
  }
}
