package dev.rlhf.labeling.rest;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.service.LabelFilter;
import dev.rlhf.labeling.service.LabelQueries;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * Browsing labels with filters, newest first. Pages go by {@code offset}, or, at the same cost on
 * any page, by {@code after}: the last label's {@code createdAt} and {@code id} joined by {@code
 * _}.
 */
@Path("/api/labels")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.RESEARCHER_NAME, Role.REVIEWER_NAME, Role.ADMIN_NAME})
public class LabelResource {

  private final LabelQueries labels;

  LabelResource(LabelQueries labels) {
    this.labels = labels;
  }

  @GET
  public List<LabelQueries.LabelSummary> labels(
      @QueryParam("project") String project,
      @QueryParam("type") String type,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("contractor") String contractor,
      @QueryParam("guidelineVersion") String guidelineVersion,
      @QueryParam("limit") @DefaultValue("100") int limit,
      @QueryParam("offset") @DefaultValue("0") int offset,
      @QueryParam("after") String after) {
    LabelFilter filter =
        LabelFilter.of(
            Params.uuid("project", project), type, from, to, contractor, guidelineVersion, null);
    return labels.browse(filter, limit, offset, after);
  }
}
