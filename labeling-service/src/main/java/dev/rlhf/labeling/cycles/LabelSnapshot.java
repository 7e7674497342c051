package dev.rlhf.labeling.cycles;

import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.labeling.quality.GoldFailing;
import dev.rlhf.labeling.registry.LabelType;
import dev.rlhf.labeling.service.DatasetFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Freezes the labels a cycle trains on: the ids of the label events committed when the cycle
 * starts, as each label's row names its event (V84), or its correction's. The outbox publishes each
 * event under its own id, so these are exactly the ids the trainers see on the label topics.
 */
@ApplicationScoped
public class LabelSnapshot {

  /**
   * How many labels of each type a snapshot holds, and the informative preference pairs its
   * rankings give a reward model.
   */
  public record Counts(long demonstrations, long rankings, long informativePairs) {}

  /**
   * The event types that are the label record, as an SQL list: snapshots and lineage join them, so
   * the retention job keeps them.
   */
  public static final String LABEL_EVENTS = "('DemonstrationSubmitted', 'RankingSubmitted')";

  private final EntityManager entityManager;

  private final GoldFailing goldFailing;

  LabelSnapshot(EntityManager entityManager, GoldFailing goldFailing) {
    this.entityManager = entityManager;
    this.goldFailing = goldFailing;
  }

  /**
   * The label types a cycle of these stages needs: what each stage is given. PPO is given both: its
   * prompts come from the demonstrations and rankings, its ptx term trains on the demonstrations,
   * and its lineage names every label of the snapshot. DPO is given both too: it learns from the
   * rankings' pairs and its ptx term from the demonstrations.
   */
  public static Set<LabelType> neededBy(List<TrainingStage> stages) {
    Set<LabelType> needed = EnumSet.noneOf(LabelType.class);
    for (TrainingStage stage : stages) {
      switch (stage) {
        case SFT -> needed.add(LabelType.DEMONSTRATION);
        case REWARD -> needed.add(LabelType.RANKING);
        case PPO, DPO -> needed.addAll(EnumSet.allOf(LabelType.class));
      }
    }
    return needed;
  }

  /**
   * Copies the ids of every committed label event of the given types (of one project, or all when
   * projectId is null) that the filter admits into the cycle's snapshot, in the caller's
   * transaction.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Counts freeze(UUID cycleId, UUID projectId, Set<LabelType> types, SnapshotFilter filter) {
    DatasetFilter dataset = filter.dataset(projectId);
    Set<UUID> failing = goldFailing.contractors(dataset);
    long informativePairs = 0;
    for (LabelType type : types) {
      List<Object> params = new ArrayList<>();
      String conditions = dataset.conditions("x", type, failing, params);
      // The filter's placeholders are numbered on from those of this statement.
      int first = 3;
      int[] next = {first};
      conditions =
          java.util.regex.Pattern.compile("\\?")
              .matcher(conditions)
              .replaceAll(m -> "?" + next[0]++);
      boolean ranking = type == LabelType.RANKING;
      // A corrected label enters as its correction's event, never as the original; a corrected
      // ranking counts the pairs of its correction.
      var insert =
          entityManager
              .createNativeQuery(
                  "with chosen as (select coalesce(v.correction_event_id, x.event_id) event_id,"
                      + " x.created_at, "
                      + (ranking
                          ? "coalesce(v.corrected_informative_pairs, x.informative_pairs)"
                          : "0")
                      + " pairs from "
                      + (ranking ? "ranking" : "demonstration")
                      + " x left join label_review v on v.label_id = x.id"
                      + " and v.outcome = 'CORRECTED' where x.event_id is not null"
                      + conditions
                      + "), copied as (insert into cycle_snapshot_label"
                      + " (cycle_id, event_id, label_type, labelled_at)"
                      + " select ?1, event_id, ?2, created_at from chosen)"
                      + " select coalesce(sum(pairs), 0) from chosen")
              .setParameter(1, cycleId)
              .setParameter(2, type.name());
      for (int i = 0; i < params.size(); i++) insert.setParameter(first + i, params.get(i));
      informativePairs += ((Number) insert.getSingleResult()).longValue();
    }
    entityManager
        .createNativeQuery("update training_cycle set informative_pairs = ?2 where id = ?1")
        .setParameter(1, cycleId)
        .setParameter(2, informativePairs)
        .executeUpdate();
    return counts(cycleId);
  }

  /** Gives a cycle the very snapshot another one froze (a retry trains on the same labels). */
  @Transactional(Transactional.TxType.MANDATORY)
  public void copy(UUID fromCycle, UUID toCycle) {
    entityManager
        .createNativeQuery(
            "update training_cycle set informative_pairs ="
                + " (select informative_pairs from training_cycle where id = ?2) where id = ?1")
        .setParameter(1, toCycle)
        .setParameter(2, fromCycle)
        .executeUpdate();
    entityManager
        .createNativeQuery(
            "insert into cycle_snapshot_label (cycle_id, event_id, label_type, labelled_at)"
                + " select ?1, event_id, label_type, labelled_at from cycle_snapshot_label"
                + " where cycle_id = ?2")
        .setParameter(1, toCycle)
        .setParameter(2, fromCycle)
        .executeUpdate();
  }

  /**
   * The label event ids a stage is given: its own label type (demonstrations for SFT, rankings for
   * REWARD), or every label for PPO and DPO.
   */
  @SuppressWarnings("unchecked")
  public List<UUID> eventIdsFor(UUID cycleId, TrainingStage stage) {
    return entityManager
        .createNativeQuery(
            "select event_id from cycle_snapshot_label where cycle_id = ?1"
                + labelsOf(stage)
                + " order by event_id")
        .setParameter(1, cycleId)
        .getResultList();
  }

  /**
   * Records a version's lineage as the labels its stage was given from the cycle's snapshot: for a
   * version whose event does not list them (a snapshot over one record's size, see
   * ModelVersionPublished). A trainer trains on every label of its command or fails, so these are
   * the labels it trained on.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void recordLineage(String version, UUID cycleId, TrainingStage stage) {
    entityManager
        .createNativeQuery(
            "insert into model_version_label (version, event_id)"
                + " select ?1, event_id from cycle_snapshot_label where cycle_id = ?2"
                + labelsOf(stage)
                + " on conflict do nothing")
        .setParameter(1, version)
        .setParameter(2, cycleId)
        .executeUpdate();
  }

  private static String labelsOf(TrainingStage stage) {
    return switch (stage) {
      case SFT -> " and label_type = 'DEMONSTRATION'";
      case REWARD -> " and label_type = 'RANKING'";
      case PPO, DPO -> "";
    };
  }

  public Counts counts(UUID cycleId) {
    Object[] row =
        (Object[])
            entityManager
                .createNativeQuery(
                    "select count(*) filter (where label_type = 'DEMONSTRATION'),"
                        + " count(*) filter (where label_type = 'RANKING'),"
                        + " (select informative_pairs from training_cycle where id = ?1)"
                        + " from cycle_snapshot_label where cycle_id = ?1")
                .setParameter(1, cycleId)
                .getSingleResult();
    return new Counts(
        ((Number) row[0]).longValue(),
        ((Number) row[1]).longValue(),
        row[2] == null ? 0 : ((Number) row[2]).longValue());
  }
}
