package dev.rlhf.labeling.reports.service;

import dev.rlhf.labeling.reports.domain.MisbehaviorReport;
import dev.rlhf.labeling.reports.domain.ReportState;
import dev.rlhf.labeling.service.ApiProblem;
import io.quarkus.panache.common.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reads reports for the reviewer queue and the dashboard. */
@ApplicationScoped
public class ReportQueries {

  /** Reports of one category or model version: distinct reports per state, and all sightings. */
  public record Figure(String key, long reports, long sightings, Map<ReportState, Long> byState) {}

  /** The dashboard: totals per state, and figures by category and by model version. */
  public record Summary(
      Map<ReportState, Long> byState,
      long sightings,
      List<Figure> byCategory,
      List<Figure> byModelVersion) {}

  /** Shown where a report carries no model version. */
  public static final String UNKNOWN_VERSION = "unknown";

  private final EntityManager entityManager;

  ReportQueries(EntityManager entityManager) {
    this.entityManager = entityManager;
  }

  /** The most reports one page of the list holds. */
  public static final int MAX_PAGE_SIZE = 200;

  /**
   * Newest activity first: a report seen again rises to the top of the queue.
   *
   * @param page from 0
   * @param size from 1 to {@link #MAX_PAGE_SIZE}; the resource refuses other values, naming them
   */
  public List<MisbehaviorReport> list(ReportState state, int page, int size) {
    var query =
        state == null
            ? MisbehaviorReport.<MisbehaviorReport>find("order by lastReportedAt desc, id")
            : MisbehaviorReport.<MisbehaviorReport>find(
                "state = ?1 order by lastReportedAt desc, id", state);
    return query.page(Page.of(page, size)).list();
  }

  public MisbehaviorReport find(UUID id) {
    MisbehaviorReport report = MisbehaviorReport.findById(id);
    if (report == null) throw ApiProblem.notFound("report " + id);
    return report;
  }

  /** The ranking task opened once the fresh samples asked for on acceptance arrived. */
  public Optional<UUID> rankingTask(MisbehaviorReport report) {
    if (report.completionRequestId == null) return Optional.empty();
    return entityManager
        .createNativeQuery("select id from task where completion_request_id = ?1", UUID.class)
        .setParameter(1, report.completionRequestId)
        .getResultStream()
        .findFirst()
        .map(UUID.class::cast);
  }

  public Summary summary() {
    Map<ReportState, Long> byState = new EnumMap<>(ReportState.class);
    for (ReportState s : ReportState.values()) byState.put(s, 0L);
    long sightings = 0;
    for (Object[] row : rows("'all'")) {
      byState.put(ReportState.valueOf((String) row[1]), ((Number) row[2]).longValue());
      sightings += ((Number) row[3]).longValue();
    }
    return new Summary(
        byState,
        sightings,
        figures(rows("category")),
        figures(rows("coalesce(model_version, '" + UNKNOWN_VERSION + "')")));
  }

  @SuppressWarnings("unchecked")
  private List<Object[]> rows(String keyExpression) {
    // keyExpression is one of the fixed expressions above, never user input.
    return entityManager
        .createNativeQuery(
            "select "
                + keyExpression
                + " as k, state, count(*), coalesce(sum(report_count), 0)"
                + " from misbehavior_report group by 1, 2 order by 1, 2")
        .getResultList();
  }

  private static List<Figure> figures(List<Object[]> rows) {
    Map<String, Figure> byKey = new LinkedHashMap<>();
    for (Object[] row : rows) {
      String key = (String) row[0];
      long reports = ((Number) row[2]).longValue();
      long seen = ((Number) row[3]).longValue();
      Figure old = byKey.get(key);
      Map<ReportState, Long> states = new EnumMap<>(ReportState.class);
      if (old == null) {
        for (ReportState s : ReportState.values()) states.put(s, 0L);
      } else {
        states.putAll(old.byState());
      }
      states.put(ReportState.valueOf((String) row[1]), reports);
      byKey.put(
          key,
          new Figure(
              key,
              (old == null ? 0 : old.reports()) + reports,
              (old == null ? 0 : old.sightings()) + seen,
              states));
    }
    List<Figure> out = new ArrayList<>(byKey.values());
    out.sort((a, b) -> Long.compare(b.reports(), a.reports()));
    return out;
  }
}
