package dev.rlhf.labeling.service;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.labeling.domain.Project;
import dev.rlhf.labeling.domain.Prompt;
import dev.rlhf.labeling.domain.TaskType;
import dev.rlhf.labeling.domain.UserAccount;
import dev.rlhf.labeling.mapping.PromptRows;
import dev.rlhf.labeling.mapping.PromptRows.PromptRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Imports prompts row by row: good rows are stored, bad rows are reported with the reason. */
@ApplicationScoped
public class PromptImportService {

  /** The file formats an import accepts. */
  public enum Format {
    JSONL,
    CSV
  }

  /** One refused row: its 1-based line, the field at fault, and why. */
  public record RejectedRow(int row, String field, String reason) {}

  /**
   * A row whose prompt the project has already (the same turns, ignoring case and runs of white
   * space), or an earlier row of the same file has: {@code promptId} is the prompt kept.
   */
  public record DuplicateRow(int row, UUID promptId) {}

  /**
   * What an import did; duplicate rows are neither stored nor counted as accepted unless the import
   * asked to keep them.
   */
  public record ImportReport(
      int accepted,
      int rejected,
      int duplicates,
      List<UUID> promptIds,
      List<RejectedRow> rejectedRows,
      List<DuplicateRow> duplicateRows) {}

  private static final int MAX_TAGS = 20;

  private final ProjectService projects;
  private final TaskService tasks;
  private final TextLimits texts;
  private final EntityManager entityManager;

  PromptImportService(
      ProjectService projects, TaskService tasks, TextLimits texts, EntityManager entityManager) {
    this.projects = projects;
    this.tasks = tasks;
    this.texts = texts;
    this.entityManager = entityManager;
  }

  /**
   * @param taskType the task opened for every accepted prompt, or null for none
   * @param heldOut whether the prompts are held out for evaluation (then taskType is null)
   * @param keepDuplicates store rows the project already has as well (still reported as
   *     duplicates): for a researcher who wants a prompt asked again, on purpose
   */
  @Transactional
  public ImportReport importPrompts(
      UUID projectId,
      Format format,
      String body,
      TaskType taskType,
      int priority,
      boolean heldOut,
      boolean keepDuplicates,
      String by) {
    Project project = projects.find(projectId);
    if (body == null || body.isBlank()) throw ApiProblem.invalid("body", "the file is empty");
    List<PromptRow> rows =
        format == Format.CSV
            ? PromptRows.fromCsv(body)
            : PromptRows.fromJsonLines(body, EventCodec.mapper());
    List<UUID> accepted = new ArrayList<>();
    List<RejectedRow> rejected = new ArrayList<>();
    List<DuplicateRow> duplicates = new ArrayList<>();
    Map<String, UUID> seen = new HashMap<>();
    // Two imports into one project at once would each miss the other's prompts.
    entityManager
        .createNativeQuery("select pg_advisory_xact_lock(hashtext(cast(?1 as text)))")
        .setParameter(1, projectId)
        .getSingleResult();
    for (PromptRow row : rows) {
      String problem = row.isRejected() ? row.rejectedReason() : null;
      String field = row.rejectedField();
      UUID authorId = null;
      if (problem == null) {
        try {
          check(row);
          authorId = authorId(row.author());
        } catch (ApiProblem e) {
          problem = e.getMessage();
          field = e.field();
        }
      }
      if (problem != null) {
        rejected.add(new RejectedRow(row.row(), field, problem));
        continue;
      }
      String fingerprint = fingerprint(row.conversation());
      UUID existing = seen.computeIfAbsent(fingerprint, f -> stored(projectId, f));
      if (existing != null) {
        duplicates.add(new DuplicateRow(row.row(), existing));
        if (!keepDuplicates) continue;
      }
      Prompt prompt = new Prompt();
      prompt.id = UUID.randomUUID();
      prompt.projectId = projectId;
      prompt.conversation = row.conversation();
      prompt.source = row.source() == null ? "import by " + by : row.source();
      prompt.tags = row.tags() == null ? List.of() : row.tags();
      prompt.authorId = authorId;
      prompt.createdAt = Instant.now();
      prompt.heldOut = heldOut;
      prompt.persist();
      if (taskType != null) tasks.open(project, prompt.id, taskType, priority, List.of(), null);
      accepted.add(prompt.id);
      seen.putIfAbsent(fingerprint, prompt.id);
    }
    return new ImportReport(
        accepted.size(), rejected.size(), duplicates.size(), accepted, rejected, duplicates);
  }

  /** The database's fingerprint of a conversation (the prompt table's generated column). */
  private String fingerprint(List<ChatTurn> conversation) {
    return (String)
        entityManager
            .createNativeQuery("select prompt_fingerprint(cast(?1 as jsonb))")
            .setParameter(1, json(conversation))
            .getSingleResult();
  }

  private static String json(List<ChatTurn> conversation) {
    try {
      return EventCodec.mapper().writeValueAsString(conversation);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a conversation did not write as JSON", e);
    }
  }

  /** A stored prompt of the project with this fingerprint, or null. */
  private UUID stored(UUID projectId, String fingerprint) {
    @SuppressWarnings("unchecked")
    List<UUID> ids =
        entityManager
            .createNativeQuery(
                "select id from prompt where project_id = ?1 and fingerprint = ?2"
                    + " order by created_at, id limit 1",
                UUID.class)
            .setParameter(1, projectId)
            .setParameter(2, fingerprint)
            .getResultList();
    return ids.isEmpty() ? null : ids.get(0);
  }

  private void check(PromptRow row) {
    List<ChatTurn> turns = row.conversation();
    if (turns.isEmpty()) throw ApiProblem.invalid("conversation", "the conversation is empty");
    for (ChatTurn turn : turns) texts.require("conversation.text", turn.text());
    texts.limitConversation("conversation", turns);
    if (turns.get(turns.size() - 1).role() != ChatTurn.Role.USER) {
      throw ApiProblem.invalid("conversation", "the last turn must be the user's");
    }
    texts.limit("source", row.source());
    if (row.tags() != null && row.tags().size() > MAX_TAGS) {
      throw ApiProblem.invalid("tags", "at most " + MAX_TAGS + " tags");
    }
    if (row.tags() != null) row.tags().forEach(t -> texts.limit("tags", t));
  }

  private static UUID authorId(String author) {
    if (author == null) return null;
    return UserAccount.findByUsername(author)
        .map(u -> u.id)
        .orElseThrow(() -> ApiProblem.invalid("author", "no user named '" + author + "'"));
  }
}
