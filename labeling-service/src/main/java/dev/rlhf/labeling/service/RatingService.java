package dev.rlhf.labeling.service;

import dev.rlhf.labeling.domain.Assignment;
import dev.rlhf.labeling.domain.AssignmentState;
import dev.rlhf.labeling.domain.CompletionRating;
import dev.rlhf.labeling.domain.Task;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Likert ratings and flags of the completions an assignment shows. They may be given while the
 * assignment is active or after its ranking was submitted; rating a completion again replaces the
 * earlier rating, and a rating with no score and no flag withdraws it (the workbench saves each
 * change as it is made, so clearing the last field must clear the stored rating too).
 */
@ApplicationScoped
public class RatingService {

  /** One completion's rating; a null score means not rated on that axis. */
  public record RatingInput(
      UUID completionId,
      Integer helpful,
      Integer truthful,
      Integer harmless,
      List<CompletionRating.Flag> flags) {}

  private final EntityManager entityManager;

  RatingService(EntityManager entityManager) {
    this.entityManager = entityManager;
  }

  @Transactional
  public List<CompletionRating> rate(UUID assignmentId, UUID contractorId, List<RatingInput> in) {
    Assignment assignment =
        entityManager.find(Assignment.class, assignmentId, LockModeType.PESSIMISTIC_WRITE);
    if (assignment == null) throw ApiProblem.notFound("assignment " + assignmentId);
    if (!assignment.contractorId.equals(contractorId)) {
      throw ApiProblem.conflict("assignmentId", "this assignment belongs to another contractor");
    }
    if (assignment.state != AssignmentState.ACTIVE
        && assignment.state != AssignmentState.SUBMITTED) {
      throw ApiProblem.conflict(
          "assignmentId", "the assignment is " + assignment.state.name().toLowerCase());
    }
    if (in == null || in.isEmpty()) throw ApiProblem.invalid("ratings", "no ratings given");
    Task task = Task.findById(assignment.taskId);
    Set<UUID> shown = new HashSet<>();
    task.completions.forEach(c -> shown.add(c.id));
    List<CompletionRating> saved = new ArrayList<>();
    Set<UUID> seen = new HashSet<>();
    for (int i = 0; i < in.size(); i++) {
      RatingInput rating = in.get(i);
      String at = "ratings[" + i + "]";
      if (rating.completionId() == null || !shown.contains(rating.completionId())) {
        throw ApiProblem.invalid(at + ".completionId", "not a completion of this task");
      }
      if (!seen.add(rating.completionId())) {
        throw ApiProblem.invalid(at + ".completionId", "completion rated twice");
      }
      CompletionRating row = new CompletionRating();
      row.id = UUID.randomUUID();
      row.assignmentId = assignmentId;
      row.completionId = rating.completionId();
      row.contractorId = contractorId;
      row.helpful = likert(at + ".helpful", rating.helpful());
      row.truthful = likert(at + ".truthful", rating.truthful());
      row.harmless = likert(at + ".harmless", rating.harmless());
      row.flags = flags(at + ".flags", rating.flags());
      row.createdAt = Instant.now();
      if (row.helpful != null
          || row.truthful != null
          || row.harmless != null
          || !row.flags.isEmpty()) {
        saved.add(row);
      }
    }
    CompletionRating.delete(
        "assignmentId = ?1 and completionId in ?2", assignmentId, List.copyOf(seen));
    entityManager.flush();
    saved.forEach(r -> r.persist());
    return saved;
  }

  /** Each flag once, in the enum's order, so equal ratings are stored and exported alike. */
  private static List<CompletionRating.Flag> flags(
      String field, List<CompletionRating.Flag> given) {
    if (given == null || given.isEmpty()) return List.of();
    if (given.contains(null)) throw ApiProblem.invalid(field, "a flag is null");
    return List.copyOf(EnumSet.copyOf(given));
  }

  private static Integer likert(String field, Integer score) {
    if (score != null && (score < 1 || score > 5)) {
      throw ApiProblem.invalid(field, "ratings are 1 (worst) to 5 (best)");
    }
    return score;
  }
}
