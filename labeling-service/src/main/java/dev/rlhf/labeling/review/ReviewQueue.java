package dev.rlhf.labeling.review;

import dev.rlhf.labeling.domain.Demonstration;
import dev.rlhf.labeling.domain.GuidelineVersion;
import dev.rlhf.labeling.domain.Project;
import dev.rlhf.labeling.domain.Prompt;
import dev.rlhf.labeling.domain.Ranking;
import dev.rlhf.labeling.domain.SubmittedLabel;
import dev.rlhf.labeling.domain.Task;
import dev.rlhf.labeling.domain.UserAccount;
import dev.rlhf.labeling.quality.gold.GoldTask;
import dev.rlhf.labeling.service.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What reviewers are given: the labels not yet reviewed that the project's review rate samples, and
 * every label of a contractor under watch, oldest first. A label is sampled when its id's hash
 * falls under the rate, so the same label is always in or out at a given rate and a higher rate
 * samples a superset. Every answer to a gold demonstration task is given too (why GOLD): a reviewer
 * scores it on the task's checklist. Blind arena votes are no labels to review (a preference
 * between versions has no right answer) and a reviewer never gets their own labels.
 */
@ApplicationScoped
public class ReviewQueue {

  /** The labels reviewers can be given: demonstrations and rankings, not arena votes. */
  static final String REVIEWABLE =
      "(select 'DEMONSTRATION' as type, d.id, d.task_id, d.project_id, d.contractor_id,"
          + " d.created_at from demonstration d"
          + " union all"
          + " select 'RANKING', r.id, r.task_id, r.project_id, r.contractor_id, r.created_at"
          + " from ranking r"
          + " where not exists (select 1 from arena_match m where m.task_id = r.task_id))";

  /** A label's id hashed to 0..1, the same on every call. */
  static final String SAMPLE_POINT =
      "(('x' || substr(md5(l.id::text), 1, 8))::bit(32)::bigint / 4294967296.0)";

  private final EntityManager entityManager;
  private final ReviewSettings settings;

  ReviewQueue(EntityManager entityManager, ReviewSettings settings) {
    this.entityManager = entityManager;
    this.settings = settings;
  }

  /** The next labels for this reviewer, of one project or all. */
  @Transactional
  public List<ReviewItem> next(UUID reviewerId, UUID projectId, int limit) {
    if (limit < 1 || limit > settings.maxQueueSize()) {
      throw ApiProblem.badRequest("limit", "limit is 1.." + settings.maxQueueSize());
    }
    Query query =
        entityManager
            .createNativeQuery(
                "select l.id, w.account_id is not null, g.task_id is not null from "
                    + REVIEWABLE
                    + " l left join project_review_settings s on s.project_id = l.project_id"
                    + " left join watched_contractor w on w.account_id = l.contractor_id"
                    + " left join gold_task g on g.task_id = l.task_id and l.type = 'DEMONSTRATION'"
                    + " where not exists (select 1 from label_review v where v.label_id = l.id)"
                    + " and l.contractor_id <> :reviewer"
                    + " and (w.account_id is not null or g.task_id is not null or "
                    + SAMPLE_POINT
                    + " < coalesce(s.review_rate, :rate))"
                    + (projectId == null ? "" : " and l.project_id = :project")
                    + " order by l.created_at, l.id limit :limit")
            .setParameter("reviewer", reviewerId)
            .setParameter("rate", settings.defaultRate())
            .setParameter("limit", limit);
    if (projectId != null) query.setParameter("project", projectId);
    @SuppressWarnings("unchecked")
    List<Object[]> rows = query.getResultList();
    List<ReviewItem> items = new ArrayList<>();
    for (Object[] row : rows) {
      String why = (Boolean) row[2] ? "GOLD" : (Boolean) row[1] ? "WATCHED" : "SAMPLED";
      items.add(item((UUID) row[0], why));
    }
    return items;
  }

  /** One label as a reviewer sees it, whether or not it is in a queue. */
  @Transactional
  public ReviewItem one(UUID labelId) {
    return item(labelId, null);
  }

  private ReviewItem item(UUID labelId, String why) {
    SubmittedLabel label = find(labelId);
    Task task = Task.findById(label.taskId);
    Prompt prompt = Prompt.findById(label.promptId);
    Project project = Project.findById(label.projectId);
    String guidelines =
        GuidelineVersion.<GuidelineVersion>find(
                "projectId = ?1 and version = ?2", label.projectId, label.guidelineVersion)
            .firstResultOptional()
            .map(g -> g.markdown)
            .orElse(null);
    String contractor =
        UserAccount.<UserAccount>findByIdOptional(label.contractorId)
            .map(u -> u.username)
            .orElse(null);
    Map<UUID, Integer> ranks =
        label instanceof Ranking r
            ? r.entries.stream().collect(Collectors.toMap(e -> e.completionId, e -> e.rank))
            : Map.of();
    List<ReviewItem.ShownCompletion> shown =
        task.completions.stream()
            .map(c -> new ReviewItem.ShownCompletion(c.id, c.text, ranks.get(c.id)))
            .toList();
    Demonstration demonstration = label instanceof Demonstration d ? d : null;
    Ranking ranking = label instanceof Ranking r ? r : null;
    GoldTask gold = GoldTask.findById(label.taskId);
    return new ReviewItem(
        label.id,
        ranking == null ? "DEMONSTRATION" : "RANKING",
        why,
        label.projectId,
        project == null ? null : project.name,
        label.taskId,
        task.type.name(),
        contractor,
        label.createdAt,
        label.guidelineVersion,
        guidelines,
        prompt.conversation,
        demonstration == null ? null : demonstration.response,
        demonstration == null ? null : demonstration.editedFromCompletionId,
        shown,
        ranking != null && ranking.allBad,
        ranking == null ? null : ranking.betterResponse,
        gold != null,
        gold == null || demonstration == null ? null : gold.checklist());
  }

  /** A demonstration or ranking by id; 404 when it is neither. */
  static SubmittedLabel find(UUID labelId) {
    if (labelId == null) throw ApiProblem.invalid("labelId", "labelId is required");
    SubmittedLabel label = Demonstration.findById(labelId);
    if (label == null) label = Ranking.findById(labelId);
    if (label == null) throw ApiProblem.notFound("label " + labelId);
    return label;
  }
}
