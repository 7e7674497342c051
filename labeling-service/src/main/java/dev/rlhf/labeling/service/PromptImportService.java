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
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

  /** What an import did. */
  public record ImportReport(
      int accepted, int rejected, List<UUID> promptIds, List<RejectedRow> rejectedRows) {}

  private static final int MAX_TAGS = 20;

  private final ProjectService projects;
  private final TaskService tasks;
  private final TextLimits texts;

  PromptImportService(ProjectService projects, TaskService tasks, TextLimits texts) {
    this.projects = projects;
    this.tasks = tasks;
    this.texts = texts;
  }

  /**
   * @param taskType the task opened for every accepted prompt, or null for none
   * @param heldOut whether the prompts are held out for evaluation (then taskType is null)
   */
  @Transactional
  public ImportReport importPrompts(
      UUID projectId,
      Format format,
      String body,
      TaskType taskType,
      int priority,
      boolean heldOut,
      String by) {
    Project project = projects.find(projectId);
    if (body == null || body.isBlank()) throw ApiProblem.invalid("body", "the file is empty");
    List<PromptRow> rows =
        format == Format.CSV
            ? PromptRows.fromCsv(body)
            : PromptRows.fromJsonLines(body, EventCodec.mapper());
    List<UUID> accepted = new ArrayList<>();
    List<RejectedRow> rejected = new ArrayList<>();
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
    }
    return new ImportReport(accepted.size(), rejected.size(), accepted, rejected);
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
