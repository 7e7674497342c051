package dev.rlhf.labeling.reports.rest;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.reports.domain.MisbehaviorReport;
import dev.rlhf.labeling.reports.domain.ReportState;
import dev.rlhf.labeling.reports.service.ReportQueries;
import dev.rlhf.labeling.reports.service.ReportTriage;
import dev.rlhf.labeling.reports.service.ReportTriage.Acceptance;
import dev.rlhf.labeling.rest.Caller;
import dev.rlhf.labeling.rest.Params;
import dev.rlhf.labeling.service.ApiProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** The reviewer queue: list reports, accept them into labeling work or reject them. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.REVIEWER_NAME, Role.ADMIN_NAME})
public class ReportTriageResource {

  /** Why a report needs no work. */
  public record Rejection(String reason) {}

  private final ReportQueries queries;
  private final ReportTriage triage;
  private final Caller caller;

  ReportTriageResource(ReportQueries queries, ReportTriage triage, Caller caller) {
    this.queries = queries;
    this.triage = triage;
    this.caller = caller;
  }

  @GET
  @Path("/reports")
  public List<ReportView> list(
      @QueryParam("state") String state,
      @QueryParam("page") String page,
      @QueryParam("size") String size) {
    return queries
        .list(
            state(state),
            Params.integer("page", page, 0, 0, Integer.MAX_VALUE),
            Params.integer("size", size, 50, 1, ReportQueries.MAX_PAGE_SIZE))
        .stream()
        .map(this::view)
        .toList();
  }

  @GET
  @Path("/reports/summary")
  public ReportQueries.Summary summary() {
    return queries.summary();
  }

  @GET
  @Path("/reports/{id}")
  public ReportView one(@PathParam("id") UUID id) {
    return view(queries.find(id));
  }

  @POST
  @Path("/reports/{id}/accept")
  @Consumes(MediaType.APPLICATION_JSON)
  public ReportView accept(@PathParam("id") UUID id, Acceptance body) {
    return view(triage.accept(id, body, reviewer()));
  }

  @POST
  @Path("/reports/{id}/reject")
  @Consumes(MediaType.APPLICATION_JSON)
  public ReportView reject(@PathParam("id") UUID id, Rejection body) {
    return view(triage.reject(id, body == null ? null : body.reason(), reviewer()));
  }

  private ReportTriage.Reviewer reviewer() {
    return new ReportTriage.Reviewer(caller.id(), caller.username());
  }

  private static ReportState state(String value) {
    if (value == null || value.isBlank()) return null;
    try {
      return ReportState.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest("state", "state must be new, accepted or rejected");
    }
  }

  private ReportView view(MisbehaviorReport report) {
    return ReportView.of(report, queries.rankingTask(report).orElse(null));
  }
}
