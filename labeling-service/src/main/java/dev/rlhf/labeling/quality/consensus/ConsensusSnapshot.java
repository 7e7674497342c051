package dev.rlhf.labeling.quality.consensus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.events.EventCodec;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.events.contract.WeightedPair;
import dev.rlhf.labeling.quality.QualityService;
import dev.rlhf.labeling.quality.QualitySettings;
import dev.rlhf.labeling.quality.QualityTable;
import dev.rlhf.labeling.quality.TrustRule;
import dev.rlhf.labeling.quality.measures.Consensus;
import dev.rlhf.labeling.quality.measures.ConsensusMethod;
import dev.rlhf.labeling.service.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Turns a cycle's frozen rankings into the weighted pairs its REWARD and DPO stages train on: each
 * contractor gets a trust weight from their quality figures at the moment the cycle starts, the
 * rankings of each prompt are aggregated by the chosen method, and the pairs are stored with the
 * cycle (with the method, the thresholds and every contractor's weight, for lineage). The rankings
 * of an excluded contractor stay in the snapshot's list but give no pair.
 */
@ApplicationScoped
public class ConsensusSnapshot {

  /** A written better response ranks above every completion of its ranking. */
  private static final int BETTER_RESPONSE_RANK = 0;

  private final EntityManager entityManager;
  private final QualityService quality;
  private final QualitySettings settings;
  private final ObjectMapper json;

  ConsensusSnapshot(
      EntityManager entityManager,
      QualityService quality,
      QualitySettings settings,
      ObjectMapper json) {
    this.entityManager = entityManager;
    this.quality = quality;
    this.settings = settings;
    this.json = json;
  }

  /**
   * Computes and stores the cycle's weighted pairs, in the caller's transaction.
   *
   * @return how many pairs
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public int freeze(UUID cycleId, UUID projectId, ConsensusRequest request) {
    ConsensusMethod method = method(request.method());
    TrustRule rule = rule(request);
    QualityTable table = quality.table(projectId, rule);
    Map<String, Double> weights = new TreeMap<>();
    for (QualityTable.ContractorQuality c : table.contractors()) {
      weights.put(c.username(), c.trustWeight());
    }
    Map<UUID, List<Consensus.Vote<UUID>>> votesByPrompt = new LinkedHashMap<>();
    for (RankingSubmitted r : rankings(cycleId)) {
      Map<UUID, Integer> ranks = new LinkedHashMap<>();
      r.completions().forEach(c -> ranks.put(c.completionId(), c.rank()));
      if (r.allBad() && r.betterResponse() != null && !r.betterResponse().isBlank()) {
        ranks.put(r.rankingId(), BETTER_RESPONSE_RANK);
      }
      double weight = weights.getOrDefault(r.contractor(), 1.0);
      votesByPrompt
          .computeIfAbsent(r.promptId(), p -> new ArrayList<>())
          .add(new Consensus.Vote<>(ranks, weight));
    }
    int position = 0;
    for (Map.Entry<UUID, List<Consensus.Vote<UUID>>> prompt : votesByPrompt.entrySet()) {
      for (Consensus.Pair<UUID> pair : Consensus.of(method, prompt.getValue())) {
        if (pair.weight() <= 0) continue;
        entityManager
            .createNativeQuery(
                "insert into cycle_weighted_pair"
                    + " (cycle_id, position, prompt_id, chosen, rejected, confidence, weight)"
                    + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
            .setParameter(1, cycleId)
            .setParameter(2, position++)
            .setParameter(3, prompt.getKey())
            .setParameter(4, pair.chosen())
            .setParameter(5, pair.rejected())
            .setParameter(6, pair.confidence())
            .setParameter(7, Math.min(1, pair.weight()))
            .executeUpdate();
      }
    }
    if (position == 0) {
      throw ApiProblem.invalid(
          "consensus",
          "the consensus of the snapshot's rankings leaves no pair"
              + " (every contractor excluded, or every prompt evenly split)");
    }
    entityManager
        .createNativeQuery(
            "insert into cycle_consensus (cycle_id, method, min_gold_accuracy, min_agreement,"
                + " below_threshold, down_weight, contractor_weights, confidence)"
                + " values (?1, ?2, ?3, ?4, ?5, ?6, cast(?7 as jsonb), ?8)")
        .setParameter(1, cycleId)
        .setParameter(2, method.name())
        .setParameter(3, rule.minGoldAccuracy())
        .setParameter(4, rule.minAgreement())
        .setParameter(5, rule.belowThreshold().name())
        .setParameter(6, rule.downWeight())
        .setParameter(7, toJson(weights))
        .setParameter(8, rule.confidence())
        .executeUpdate();
    entityManager
        .createNativeQuery("update training_cycle set informative_pairs = ?2 where id = ?1")
        .setParameter(1, cycleId)
        .setParameter(2, (long) position)
        .executeUpdate();
    return position;
  }

  /** Gives a retried cycle the consensus its first attempt froze (the same pairs and weights). */
  @Transactional(Transactional.TxType.MANDATORY)
  public void copy(UUID fromCycle, UUID toCycle) {
    entityManager
        .createNativeQuery(
            "insert into cycle_consensus (cycle_id, method, min_gold_accuracy, min_agreement,"
                + " below_threshold, down_weight, contractor_weights, confidence)"
                + " select ?2, method, min_gold_accuracy, min_agreement, below_threshold,"
                + " down_weight, contractor_weights, confidence from cycle_consensus"
                + " where cycle_id = ?1")
        .setParameter(1, fromCycle)
        .setParameter(2, toCycle)
        .executeUpdate();
    entityManager
        .createNativeQuery(
            "insert into cycle_weighted_pair"
                + " (cycle_id, position, prompt_id, chosen, rejected, confidence, weight)"
                + " select ?2, position, prompt_id, chosen, rejected, confidence, weight"
                + " from cycle_weighted_pair where cycle_id = ?1")
        .setParameter(1, fromCycle)
        .setParameter(2, toCycle)
        .executeUpdate();
  }

  /** The cycle's weighted pairs in order; empty when it trains on every pair at weight 1. */
  @SuppressWarnings("unchecked")
  public List<WeightedPair> pairsFor(UUID cycleId) {
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select prompt_id, chosen, rejected, weight from cycle_weighted_pair"
                    + " where cycle_id = ?1 order by position")
            .setParameter(1, cycleId)
            .getResultList();
    return rows.stream()
        .map(
            r ->
                new WeightedPair(
                    (UUID) r[0], (UUID) r[1], (UUID) r[2], ((Number) r[3]).doubleValue()))
        .toList();
  }

  @SuppressWarnings("unchecked")
  private List<RankingSubmitted> rankings(UUID cycleId) {
    List<String> payloads =
        entityManager
            .createNativeQuery(
                "select o.payload::text from cycle_snapshot_label s"
                    + " join outbox_event o on o.event_id = s.event_id"
                    + " where s.cycle_id = ?1 and s.label_type = 'RANKING'"
                    + " order by s.event_id")
            .setParameter(1, cycleId)
            .getResultList();
    return payloads.stream().map(p -> (RankingSubmitted) EventCodec.fromJson(p)).toList();
  }

  private TrustRule rule(ConsensusRequest request) {
    TrustRule defaults = TrustRule.of(settings);
    Double minGold =
        share("consensus.minGoldAccuracy", request.minGoldAccuracy(), defaults.minGoldAccuracy());
    Double minAgreement =
        share("consensus.minAgreement", request.minAgreement(), defaults.minAgreement());
    TrustRule.BelowThreshold below = defaults.belowThreshold();
    if (request.belowThreshold() != null) {
      try {
        below =
            TrustRule.BelowThreshold.valueOf(
                request.belowThreshold().trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ApiProblem.invalid(
            "consensus.belowThreshold", "belowThreshold must be EXCLUDE or DOWN_WEIGHT");
      }
    }
    double downWeight = defaults.downWeight();
    if (request.downWeight() != null) {
      downWeight = request.downWeight();
      if (!(downWeight > 0 && downWeight <= 1)) {
        throw ApiProblem.invalid(
            "consensus.downWeight", "downWeight must be above 0 and at most 1");
      }
    }
    double confidence = defaults.confidence();
    if (request.confidence() != null) {
      confidence = request.confidence();
      if (!(confidence >= 0.5 && confidence < 1)) {
        throw ApiProblem.invalid(
            "consensus.confidence", "confidence must be at least 0.5 and below 1");
      }
    }
    return new TrustRule(minGold, minAgreement, below, downWeight, confidence);
  }

  private static Double share(String field, Double given, Double fallback) {
    if (given == null) return fallback;
    if (given.isNaN() || given < 0 || given > 1) {
      throw ApiProblem.invalid(field, field.substring(field.indexOf('.') + 1) + " must be 0 to 1");
    }
    return given;
  }

  private static ConsensusMethod method(String name) {
    if (name == null || name.isBlank()) return ConsensusMethod.MAJORITY;
    try {
      return ConsensusMethod.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiProblem.invalid(
          "consensus.method", "method must be MAJORITY, BORDA or BRADLEY_TERRY, not " + name);
    }
  }

  private String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
