package dev.rlhf.labeling.rest;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.service.StatisticsService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Dataset statistics of one project, or of all when no project is given. */
@Path("/api/statistics")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.RESEARCHER_NAME, Role.REVIEWER_NAME, Role.ADMIN_NAME})
public class StatisticsResource {

  private final StatisticsService statistics;

  StatisticsResource(StatisticsService statistics) {
    this.statistics = statistics;
  }

  @GET
  public StatisticsService.DatasetStatistics statistics(@QueryParam("project") String project) {
    return statistics.of(Params.uuid("project", project));
  }
}
