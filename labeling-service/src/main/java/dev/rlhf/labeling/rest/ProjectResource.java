package dev.rlhf.labeling.rest;

import dev.rlhf.labeling.domain.GuidelineVersion;
import dev.rlhf.labeling.domain.Project;
import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.service.ProjectService;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Projects and their guideline versions; everyone signed in reads them, researchers change them.
 */
@Path("/api/projects")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class ProjectResource {

  public record NewProject(
      String name,
      String description,
      String guidelines,
      Integer demonstrationOverlap,
      Integer rankingOverlap,
      String selection) {}

  /** A change of settings; a field left out keeps its value. */
  public record ProjectChange(
      Integer demonstrationOverlap, Integer rankingOverlap, String selection) {}

  public record NewGuidelines(String markdown) {}

  public record ProjectView(
      UUID id,
      String name,
      String description,
      int demonstrationOverlap,
      int rankingOverlap,
      String selection,
      Instant createdAt) {
    static ProjectView of(Project p) {
      return new ProjectView(
          p.id,
          p.name,
          p.description,
          p.demonstrationOverlap,
          p.rankingOverlap,
          p.selection.name().toLowerCase(Locale.ROOT),
          p.createdAt);
    }
  }

  public record GuidelinesView(int version, String markdown, String createdBy, Instant createdAt) {
    static GuidelinesView of(GuidelineVersion g) {
      return new GuidelinesView(g.version, g.markdown, g.createdBy, g.createdAt);
    }
  }

  private final ProjectService projects;
  private final Caller caller;

  ProjectResource(ProjectService projects, Caller caller) {
    this.projects = projects;
    this.caller = caller;
  }

  @GET
  public List<ProjectView> list() {
    return projects.list().stream().map(ProjectView::of).toList();
  }

  @POST
  @RolesAllowed({Role.RESEARCHER_NAME, Role.ADMIN_NAME})
  public Response create(NewProject body) {
    NewProject in = body == null ? new NewProject(null, null, null, null, null, null) : body;
    Project project =
        projects.create(
            in.name(),
            in.description(),
            in.guidelines(),
            in.demonstrationOverlap(),
            in.rankingOverlap(),
            in.selection(),
            caller.username());
    return Response.status(Response.Status.CREATED).entity(ProjectView.of(project)).build();
  }

  @GET
  @Path("/{id}")
  public ProjectView one(@PathParam("id") UUID id) {
    return ProjectView.of(projects.find(id));
  }

  @PATCH
  @Path("/{id}")
  @RolesAllowed({Role.RESEARCHER_NAME, Role.ADMIN_NAME})
  public ProjectView change(@PathParam("id") UUID id, ProjectChange body) {
    ProjectChange in = body == null ? new ProjectChange(null, null, null) : body;
    return ProjectView.of(
        projects.change(id, in.demonstrationOverlap(), in.rankingOverlap(), in.selection()));
  }

  @GET
  @Path("/{id}/guidelines")
  public List<GuidelinesView> guidelines(@PathParam("id") UUID id) {
    return projects.guidelines(id).stream().map(GuidelinesView::of).toList();
  }

  @GET
  @Path("/{id}/guidelines/current")
  public GuidelinesView currentGuidelines(@PathParam("id") UUID id) {
    projects.find(id);
    return GuidelinesView.of(projects.currentGuidelines(id));
  }

  @POST
  @Path("/{id}/guidelines")
  @RolesAllowed({Role.RESEARCHER_NAME, Role.ADMIN_NAME})
  public Response addGuidelines(@PathParam("id") UUID id, NewGuidelines body) {
    GuidelineVersion version =
        projects.addGuidelines(id, body == null ? null : body.markdown(), caller.username());
    return Response.status(Response.Status.CREATED).entity(GuidelinesView.of(version)).build();
  }
}
