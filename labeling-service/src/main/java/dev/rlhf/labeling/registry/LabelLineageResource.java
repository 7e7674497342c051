package dev.rlhf.labeling.registry;

import dev.rlhf.labeling.domain.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

/** Which versions a label influenced, directly or through parents and reward models. */
@Path("/api/labels/{eventId}/versions")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.RESEARCHER_NAME, Role.REVIEWER_NAME, Role.ADMIN_NAME})
public class LabelLineageResource {

  private final LineageQueries lineage;

  LabelLineageResource(LineageQueries lineage) {
    this.lineage = lineage;
  }

  @GET
  public List<LineageQueries.InfluencedVersion> influenced(@PathParam("eventId") UUID eventId) {
    return lineage.versionsInfluencedBy(eventId);
  }
}
