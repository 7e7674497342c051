package dev.rlhf.labeling.service;

import dev.rlhf.labeling.domain.Assignment;
import dev.rlhf.labeling.domain.AssignmentState;
import dev.rlhf.labeling.mapping.AssignmentView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/** What a contractor may read: their own assignments and their own numbers. */
@ApplicationScoped
public class AssignmentQueries {

  /** A contractor's own totals, and what they submitted today (since midnight UTC). */
  public record ContractorStatistics(
      long demonstrations,
      long rankings,
      long ratings,
      long skipped,
      long expired,
      long active,
      long timeSpentMs,
      Today today) {}

  /** Today's share of the totals, so the workbench can show a day's progress. */
  public record Today(long demonstrations, long rankings, long skipped, long timeSpentMs) {}

  private final EntityManager entityManager;

  AssignmentQueries(EntityManager entityManager) {
    this.entityManager = entityManager;
  }

  /** The contractor's assignment; someone else's is reported as not found. */
  @Transactional
  public AssignmentView own(UUID assignmentId, UUID contractorId) {
    Assignment assignment = Assignment.findById(assignmentId);
    if (assignment == null || !assignment.contractorId.equals(contractorId)) {
      throw ApiProblem.notFound("assignment " + assignmentId);
    }
    return AssignmentView.of(assignment);
  }

  @Transactional
  public AssignmentView view(Assignment assignment) {
    return AssignmentView.of(Assignment.<Assignment>findById(assignment.id));
  }

  @Transactional
  public List<AssignmentView> mine(UUID contractorId, AssignmentState state) {
    List<Assignment> assignments =
        state == null
            ? Assignment.list("contractorId = ?1 order by leasedAt desc", contractorId)
            : Assignment.list(
                "contractorId = ?1 and state = ?2 order by leasedAt desc", contractorId, state);
    return assignments.stream().limit(200).map(AssignmentView::of).toList();
  }

  public ContractorStatistics statistics(UUID contractorId) {
    Object[] row =
        (Object[])
            entityManager
                .createNativeQuery(
                    "select"
                        + " (select count(*) from demonstration where contractor_id = ?1),"
                        + " (select count(*) from ranking where contractor_id = ?1),"
                        + " (select count(*) from completion_rating where contractor_id = ?1),"
                        + " (select count(*) from assignment where contractor_id = ?1 and state = 'SKIPPED'),"
                        + " (select count(*) from assignment where contractor_id = ?1 and state = 'EXPIRED'),"
                        + " (select count(*) from assignment where contractor_id = ?1 and state = 'ACTIVE'"
                        + "    and lease_expires_at > now()),"
                        + " (select coalesce(sum(time_spent_ms), 0) from demonstration where contractor_id = ?1)"
                        + " + (select coalesce(sum(time_spent_ms), 0) from ranking where contractor_id = ?1),"
                        + " (select count(*) from demonstration where contractor_id = ?1"
                        + "    and created_at >= ?2),"
                        + " (select count(*) from ranking where contractor_id = ?1 and created_at >= ?2),"
                        + " (select count(*) from assignment where contractor_id = ?1 and state = 'SKIPPED'"
                        + "    and leased_at >= ?2),"
                        + " (select coalesce(sum(time_spent_ms), 0) from demonstration"
                        + "    where contractor_id = ?1 and created_at >= ?2)"
                        + " + (select coalesce(sum(time_spent_ms), 0) from ranking"
                        + "    where contractor_id = ?1 and created_at >= ?2)")
                .setParameter(1, contractorId)
                .setParameter(2, startOfTodayUtc())
                .getSingleResult();
    long[] n = new long[row.length];
    for (int i = 0; i < row.length; i++) n[i] = ((Number) row[i]).longValue();
    return new ContractorStatistics(
        n[0], n[1], n[2], n[3], n[4], n[5], n[6], new Today(n[7], n[8], n[9], n[10]));
  }

  private static java.time.OffsetDateTime startOfTodayUtc() {
    return java.time.LocalDate.now(java.time.ZoneOffset.UTC)
        .atStartOfDay()
        .atOffset(java.time.ZoneOffset.UTC);
  }
}
