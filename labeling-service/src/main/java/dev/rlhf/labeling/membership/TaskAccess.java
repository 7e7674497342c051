package dev.rlhf.labeling.membership;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What the task distributor asks before handing out a task: whether the contractor may draw from a
 * project (members-only projects take their members only) and which projects' caps they reached.
 */
@ApplicationScoped
public class TaskAccess {

  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration DAY = Duration.ofHours(24);

  /** A project whose cap the contractor reached, why, and when a task frees up again. */
  public record Reached(UUID projectId, String reason, Instant retryAt) {}

  private final EntityManager entityManager;

  TaskAccess(EntityManager entityManager) {
    this.entityManager = entityManager;
  }

  /**
   * A condition on {@code task t} for a native query in which {@code :contractor} is the
   * contractor's id: the task's project is open to all or has the contractor as a member, and is
   * none of {@code excluded}.
   */
  public static String drawableCondition(Iterable<UUID> excluded) {
    StringBuilder sql =
        new StringBuilder(
            " and (not exists (select 1 from project_access pa"
                + "   where pa.project_id = t.project_id and pa.members_only)"
                + " or exists (select 1 from project_member pm"
                + "   where pm.project_id = t.project_id and pm.account_id = :contractor))");
    // UUIDs print as hex and dashes only, so they are safe to write into the query.
    String ids =
        java.util.stream.StreamSupport.stream(excluded.spliterator(), false)
            .map(id -> "'" + id + "'::uuid")
            .collect(Collectors.joining(","));
    if (!ids.isEmpty()) sql.append(" and t.project_id not in (").append(ids).append(")");
    return sql.toString();
  }

  /** Whether the contractor may draw from the project (members-only projects: members only). */
  public boolean mayDraw(UUID contractorId, UUID projectId) {
    ProjectAccess access = ProjectAccess.findById(projectId);
    return access == null || !access.membersOnly || isMember(projectId, contractorId);
  }

  boolean isMember(UUID projectId, UUID accountId) {
    return !entityManager
        .createNativeQuery("select 1 from project_member where project_id = ?1 and account_id = ?2")
        .setParameter(1, projectId)
        .setParameter(2, accountId)
        .getResultList()
        .isEmpty();
  }

  /**
   * The projects whose hourly or daily cap the contractor reached, by project id. Tasks count when
   * taken and kept (active or submitted), in the last hour and the last 24 hours.
   */
  public Map<UUID, Reached> capsReached(UUID contractorId) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select t.project_id, pa.hourly_task_cap, pa.daily_task_cap,"
                    + " count(*) filter (where a.leased_at > now() - interval '1 hour'),"
                    + " count(*),"
                    + " min(a.leased_at) filter (where a.leased_at > now() - interval '1 hour'),"
                    + " min(a.leased_at), now()"
                    + " from assignment a join task t on t.id = a.task_id"
                    + " join project_access pa on pa.project_id = t.project_id"
                    + " where a.contractor_id = ?1 and a.leased_at > now() - interval '24 hours'"
                    + " and a.state in ('ACTIVE', 'SUBMITTED')"
                    + " and (pa.hourly_task_cap is not null or pa.daily_task_cap is not null)"
                    + " group by t.project_id, pa.hourly_task_cap, pa.daily_task_cap")
            .setParameter(1, contractorId)
            .getResultList();
    Map<UUID, Reached> reached = new LinkedHashMap<>();
    for (Object[] row : rows) {
      UUID project = (UUID) row[0];
      Integer hourly = row[1] == null ? null : ((Number) row[1]).intValue();
      Integer daily = row[2] == null ? null : ((Number) row[2]).intValue();
      long lastHour = ((Number) row[3]).longValue();
      long lastDay = ((Number) row[4]).longValue();
      Instant now = instant(row[7]);
      if (daily != null && lastDay >= daily) {
        Instant retry = instant(row[6]).plus(DAY);
        reached.put(
            project,
            new Reached(
                project,
                "you took "
                    + lastDay
                    + " tasks of this project in the last 24 hours, its daily cap is "
                    + daily
                    + "; the next one from "
                    + retry,
                retry.isAfter(now) ? retry : now));
      } else if (hourly != null && lastHour >= hourly) {
        Instant retry = instant(row[5]).plus(HOUR);
        reached.put(
            project,
            new Reached(
                project,
                "you took "
                    + lastHour
                    + " tasks of this project in the last hour, its hourly cap is "
                    + hourly
                    + "; the next one from "
                    + retry,
                retry.isAfter(now) ? retry : now));
      }
    }
    return reached;
  }

  private static Instant instant(Object value) {
    if (value instanceof Instant i) return i;
    if (value instanceof Timestamp t) return t.toInstant();
    if (value instanceof java.time.OffsetDateTime o) return o.toInstant();
    throw new IllegalStateException("not a time: " + value);
  }
}
