package dev.rlhf.labeling.service;

import dev.rlhf.labeling.arena.ArenaVotes;
import dev.rlhf.labeling.registry.LabelType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Which demonstrations and rankings a dataset takes: the one filter that exports and training
 * snapshots share, so a snapshot frozen with a filter holds the labels the export with the same
 * filter writes.
 *
 * <p>Always left out: rejected labels, contractors' answers to gold tasks (they measure the
 * contractor; the answer is known) and, unless {@code includeArenaVotes}, blind arena votes. The
 * optional narrowing: {@code from} / {@code to} on when the label was made, {@code
 * guidelineVersion}, {@code contractors} (usernames), {@code minAgreement} (rankings of tasks whose
 * rankers agreed at least that much; demonstrations have no agreement and are not narrowed by it),
 * {@code reviewedOnly} (accepted and corrected labels alone) and {@code minGoldAccuracy} (labels of
 * contractors whose gold accuracy is below it are left out; a contractor without gold answers is
 * not held against).
 */
public record DatasetFilter(
    UUID projectId,
    Instant from,
    Instant to,
    Integer guidelineVersion,
    List<String> contractors,
    Double minAgreement,
    boolean reviewedOnly,
    boolean includeArenaVotes,
    Double minGoldAccuracy) {

  public static final int MAX_CONTRACTORS = 1000;

  /**
   * Parses an export's query parameters; refusals name the parameter, prefixed by {@code prefix}
   * (empty for exports, {@code "snapshot."} inside a cycle command).
   */
  public static DatasetFilter parse(
      String prefix,
      UUID projectId,
      String from,
      String to,
      String guidelineVersion,
      List<String> contractors,
      String minAgreement,
      boolean reviewedOnly,
      boolean includeArenaVotes,
      String minGoldAccuracy) {
    try {
      LabelFilter common =
          LabelFilter.of(projectId, null, from, to, null, guidelineVersion, minAgreement);
      return new DatasetFilter(
          projectId,
          common.from(),
          common.to(),
          common.guidelineVersion(),
          usernames(contractors),
          common.minAgreement(),
          reviewedOnly,
          includeArenaVotes,
          LabelFilter.fraction("minGoldAccuracy", minGoldAccuracy));
    } catch (ApiProblem e) {
      if (prefix.isEmpty()) throw e;
      throw new ApiProblem(e.status(), e.title(), prefix + e.field(), e.getMessage());
    }
  }

  private static List<String> usernames(List<String> given) {
    if (given == null) return null;
    List<String> names =
        given.stream()
            .filter(c -> c != null)
            .flatMap(c -> java.util.Arrays.stream(c.split(",")))
            .map(String::trim)
            .toList();
    if (names.isEmpty()) return null;
    if (names.size() > MAX_CONTRACTORS) {
      throw ApiProblem.invalid("contractors", "at most " + MAX_CONTRACTORS + " contractors");
    }
    if (names.contains("")) {
      throw ApiProblem.invalid("contractors", "a contractor's username is blank");
    }
    return names;
  }

  /**
   * Conditions (each starting with " and") on the label row aliased {@code label}, a demonstration
   * or a ranking as {@code type} says, with their parameters appended in order (placeholders are
   * {@code ?}). {@code goldFailing}: the contractors under {@code minGoldAccuracy}, found by the
   * caller from the quality figures (see {@code GoldFailing}).
   */
  public String conditions(
      String label, LabelType type, Collection<UUID> goldFailing, List<Object> params) {
    StringBuilder sql = new StringBuilder();
    if (projectId != null) {
      sql.append(" and ").append(label).append(".project_id = ?");
      params.add(projectId);
    }
    sql.append(" and not exists (select 1 from label_review rv where rv.label_id = ")
        .append(label)
        .append(".id and rv.outcome = 'REJECTED')");
    if (reviewedOnly) {
      sql.append(" and exists (select 1 from label_review rv where rv.label_id = ")
          .append(label)
          .append(".id and rv.outcome in ('ACCEPTED', 'CORRECTED'))");
    }
    sql.append(" and not exists (select 1 from gold_task gt where gt.task_id = ")
        .append(label)
        .append(".task_id)");
    if (type == LabelType.RANKING && !includeArenaVotes) {
      sql.append(ArenaVotes.excluded(label));
    }
    if (type == LabelType.RANKING && minAgreement != null) {
      sql.append(" and exists (select 1 from ranking_task_agreement ta where ta.task_id = ")
          .append(label)
          .append(".task_id and ta.agreement >= ?)");
      params.add(minAgreement);
    }
    if (from != null) {
      sql.append(" and ").append(label).append(".created_at >= ?");
      params.add(java.sql.Timestamp.from(from));
    }
    if (to != null) {
      sql.append(" and ").append(label).append(".created_at < ?");
      params.add(java.sql.Timestamp.from(to));
    }
    if (guidelineVersion != null) {
      sql.append(" and ").append(label).append(".guideline_version = ?");
      params.add(guidelineVersion);
    }
    if (contractors != null) {
      sql.append(" and ")
          .append(label)
          .append(".contractor_id in (select id from app_user where username in (")
          .append(placeholders(contractors.size()))
          .append("))");
      params.addAll(contractors);
    }
    if (minGoldAccuracy != null && !goldFailing.isEmpty()) {
      sql.append(" and ")
          .append(label)
          .append(".contractor_id not in (")
          .append(placeholders(goldFailing.size()))
          .append(")");
      params.addAll(goldFailing);
    }
    return sql.toString();
  }

  private static String placeholders(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }
}
