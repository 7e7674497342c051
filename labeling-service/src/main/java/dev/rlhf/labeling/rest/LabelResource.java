package dev.rlhf.labeling.rest;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.service.LabelFilter;
import dev.rlhf.labeling.service.LabelQueries;
import dev.rlhf.labeling.service.StatisticsService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Looking at the data: labels with filters, and dataset statistics. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.RESEARCHER_NAME, Role.REVIEWER_NAME, Role.ADMIN_NAME})
public class LabelResource {

  private final LabelQueries labels;
  private final StatisticsService statistics;

  LabelResource(LabelQueries labels, StatisticsService statistics) {
    this.labels = labels;
    this.statistics = statistics;
  }

  @GET
  @Path("/labels")
  public List<LabelQueries.LabelSummary> labels(
      @QueryParam("project") String project,
      @QueryParam("type") String type,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("contractor") String contractor,
      @QueryParam("guidelineVersion") Integer guidelineVersion,
      @QueryParam("limit") @DefaultValue("100") int limit,
      @QueryParam("offset") @DefaultValue("0") int offset) {
    LabelFilter filter =
        LabelFilter.of(
            Params.uuid("project", project), type, from, to, contractor, guidelineVersion, null);
    return labels.browse(filter, limit, offset);
  }

  @GET
  @Path("/statistics")
  public StatisticsService.DatasetStatistics statistics(@QueryParam("project") String project) {
    return statistics.of(Params.uuid("project", project));
  }
}
