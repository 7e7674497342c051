package dev.rlhf.labeling.service;

import dev.rlhf.events.kafka.Outages;
import dev.rlhf.labeling.config.TaskSettings;
import dev.rlhf.labeling.domain.Assignment;
import dev.rlhf.labeling.domain.AssignmentState;
import dev.rlhf.labeling.domain.GuidelineVersion;
import dev.rlhf.labeling.domain.Task;
import dev.rlhf.labeling.domain.TaskType;
import dev.rlhf.labeling.membership.CapReached;
import dev.rlhf.labeling.membership.TaskAccess;
import dev.rlhf.labeling.quality.gold.GoldQueue;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Hands out task slots. The next task is the open one of highest priority (then highest selection
 * score, see {@link dev.rlhf.labeling.domain.Selection}; then oldest) that still has a free slot,
 * that the contractor never held, and whose prompt they did not write. Its row is locked with
 * {@code FOR UPDATE SKIP LOCKED}: two contractors asking at once never both take the last slot, and
 * neither waits for the other. Only projects the contractor may draw from are searched, less those
 * whose task cap they reached ({@link TaskAccess}). Gold tasks are mixed in at their project's gold
 * rate ({@link GoldQueue}) and are otherwise never drawn.
 */
@ApplicationScoped
public class TaskDistributor {

  private final EntityManager entityManager;
  private final TaskSettings settings;
  private final TextLimits texts;
  private final TaskAccess access;
  private final GoldQueue gold;

  TaskDistributor(
      EntityManager entityManager,
      TaskSettings settings,
      TextLimits texts,
      TaskAccess access,
      GoldQueue gold) {
    this.entityManager = entityManager;
    this.settings = settings;
    this.texts = texts;
    this.access = access;
    this.gold = gold;
  }

  @Transactional
  public Optional<Assignment> next(UUID contractorId, UUID projectId, TaskType type) {
    // The queue queries are planned for this call's project, never by a cached generic plan: after
    // five runs of a prepared statement PostgreSQL may keep a plan made without the project's id,
    // and with a 1M-task project in the database that plan took 170-370 ms per next task where the
    // project's own plan takes 1 ms (bench/labeling README). Local: it ends with this transaction.
    entityManager
        .createNativeQuery("set local plan_cache_mode = force_custom_plan")
        .executeUpdate();
    // One contractor's own calls run one at a time, so a double click cannot pass the cap.
    entityManager
        .createNativeQuery("select id from app_user where id = ?1 for update")
        .setParameter(1, contractorId)
        .getSingleResult();
    Instant now = Instant.now();
    long open =
        Assignment.count(
            "contractorId = ?1 and state = ?2 and leaseExpiresAt > ?3",
            contractorId,
            AssignmentState.ACTIVE,
            now);
    if (open >= settings.maxOpenAssignmentsPerContractor()) {
      throw ApiProblem.conflict(
          "assignments",
          "you hold " + open + " open assignments, the most allowed; submit or skip one first");
    }
    if (projectId != null && !access.mayDraw(contractorId, projectId)) {
      throw new ApiProblem(
          403, "Not a member", "project", "this project hands its tasks to its members only");
    }
    Map<UUID, TaskAccess.Reached> capped = access.capsReached(contractorId);
    if (projectId != null && capped.containsKey(projectId)) {
      TaskAccess.Reached reached = capped.get(projectId);
      throw new CapReached(reached.reason(), reached.retryAt());
    }
    Optional<UUID> taskId = Optional.empty();
    // Gold tasks are ranking and demonstration tasks.
    if (type == null || type == TaskType.RANKING || type == TaskType.DEMONSTRATION) {
      taskId = lockNextTask(contractorId, projectId, type, capped.keySet(), gold.roll());
    }
    if (taskId.isEmpty()) {
      taskId = lockNextTask(contractorId, projectId, type, capped.keySet(), null);
    }
    if (taskId.isEmpty()) {
      // The queue is empty only because of caps: say so, and when work frees up.
      if (!capped.isEmpty() && hasTaskIn(contractorId, type, capped.keySet())) {
        TaskAccess.Reached first =
            capped.values().stream().min(Comparator.comparing(TaskAccess.Reached::retryAt)).get();
        throw new CapReached(first.reason(), first.retryAt());
      }
      return Optional.empty();
    }
    Task task = Task.findById(taskId.get());
    task.slotsTaken++;
    Assignment assignment = new Assignment();
    assignment.id = UUID.randomUUID();
    assignment.taskId = task.id;
    assignment.contractorId = contractorId;
    assignment.state = AssignmentState.ACTIVE;
    assignment.guidelineVersion =
        GuidelineVersion.current(task.projectId).map(g -> g.version).orElse(0);
    assignment.leasedAt = now;
    assignment.leaseExpiresAt = now.plus(settings.leaseDuration());
    assignment.persist();
    return Optional.of(assignment);
  }

  /** The next task: a gold one when {@code goldRoll} is given, else an ordinary one. */
  private Optional<UUID> lockNextTask(
      UUID contractorId, UUID projectId, TaskType type, Set<UUID> capped, Double goldRoll) {
    String sql =
        candidates(projectId, type)
            + TaskAccess.drawableCondition(capped)
            + (goldRoll == null ? GoldQueue.NOT_GOLD : GoldQueue.goldWithin(goldRoll))
            + " order by t.priority desc, t.selection_score desc nulls last, t.created_at, t.id"
            + " limit 1 for update of t skip locked";
    Query query =
        entityManager.createNativeQuery(sql, UUID.class).setParameter("contractor", contractorId);
    if (projectId != null) query.setParameter("project", projectId);
    if (type != null) query.setParameter("type", type.name());
    @SuppressWarnings("unchecked")
    List<UUID> ids = query.getResultList();
    return ids.stream().findFirst();
  }

  /** Whether one of the given projects has a task for the contractor, caps aside. */
  private boolean hasTaskIn(UUID contractorId, TaskType type, Set<UUID> projects) {
    String sql =
        candidates(null, type)
            + TaskAccess.drawableCondition(Set.of())
            + " and t.project_id in ("
            + String.join(",", projects.stream().map(id -> "'" + id + "'::uuid").toList())
            + ") limit 1";
    Query query =
        entityManager.createNativeQuery(sql, UUID.class).setParameter("contractor", contractorId);
    if (type != null) query.setParameter("type", type.name());
    return !query.getResultList().isEmpty();
  }

  /** The open tasks with a free slot the contractor (:contractor) may take, as {@code task t}. */
  private static String candidates(UUID projectId, TaskType type) {
    return "select t.id from task t"
        + " where t.state = 'OPEN' and t.slots_taken < t.answers_wanted"
        + (projectId == null ? "" : " and t.project_id = :project")
        + (type == null ? "" : " and t.type = :type")
        + " and not exists (select 1 from assignment a"
        + "   where a.task_id = t.id and a.contractor_id = :contractor)"
        + " and not exists (select 1 from prompt p"
        + "   where p.id = t.prompt_id and p.author_id = :contractor)"
        // Nor about a report they sent (a merged report has several reporters).
        + " and not exists (select 1 from misbehavior_report r"
        + "   join misbehavior_report_reporter rr on rr.report_id = r.id"
        + "   where r.prompt_id = t.prompt_id and rr.account_id = :contractor)";
  }

  /** The contractor declines their assignment; the slot returns to the pool for others. */
  @Transactional
  public Assignment skip(UUID assignmentId, UUID contractorId, String reason) {
    texts.require("reason", reason);
    Assignment assignment = lockOwnActive(assignmentId, contractorId);
    assignment.state = AssignmentState.SKIPPED;
    assignment.skipReason = reason;
    assignment.finishedAt = Instant.now();
    Task task = entityManager.find(Task.class, assignment.taskId, LockModeType.PESSIMISTIC_WRITE);
    task.slotsTaken--;
    return assignment;
  }

  /**
   * Locks an assignment for a submission or a skip. Someone else's, finished or expired assignments
   * are a conflict (409); an unknown id is 404.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Assignment lockOwnActive(UUID assignmentId, UUID contractorId) {
    Assignment assignment =
        entityManager.find(Assignment.class, assignmentId, LockModeType.PESSIMISTIC_WRITE);
    if (assignment == null) throw ApiProblem.notFound("assignment " + assignmentId);
    if (!assignment.contractorId.equals(contractorId)) {
      throw ApiProblem.conflict("assignmentId", "this assignment belongs to another contractor");
    }
    if (assignment.state == AssignmentState.ACTIVE
        && !assignment.leaseExpiresAt.isAfter(Instant.now())) {
      throw ApiProblem.conflict(
          "assignmentId", "the lease expired at " + assignment.leaseExpiresAt);
    }
    if (assignment.state != AssignmentState.ACTIVE) {
      throw ApiProblem.conflict(
          "assignmentId", "the assignment is " + assignment.state.name().toLowerCase());
    }
    return assignment;
  }

  @Scheduled(
      every = "${rlhf.tasks.lease-sweep-interval:30s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void sweepExpiredLeases() {
    try {
      expireLeases();
    } catch (RuntimeException e) {
      // The database being away is logged once by the requests; the next sweep catches up.
      if (!Outages.isOutage(e)) throw e;
    }
  }

  /** Returns the slots of expired leases to the pool; returns how many tasks got slots back. */
  @Transactional
  public int expireLeases() {
    return entityManager
        .createNativeQuery(
            "with expired as (update assignment set state = 'EXPIRED', finished_at = now()"
                + "   where state = 'ACTIVE' and lease_expires_at <= now() returning task_id),"
                + " freed as (select task_id, count(*) as n from expired group by task_id)"
                // Never below zero: one task whose count drifted must not stop every release.
                + " update task t set slots_taken = greatest(0, t.slots_taken - freed.n)"
                + " from freed where t.id = freed.task_id")
        .executeUpdate();
  }
}
