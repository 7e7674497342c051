package dev.rlhf.labeling.registry;

import dev.rlhf.events.contract.ModelVersionPublished;
import dev.rlhf.events.contract.PolicyEvaluation;
import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.rest.Caller;
import dev.rlhf.labeling.service.ApiProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The model registry: versions with their lineage, the labels behind them, and promotion. Its own
 * class path: Quarkus REST picks the class with the longest matching path and never falls back.
 */
@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.RESEARCHER_NAME, Role.REVIEWER_NAME, Role.ADMIN_NAME})
public class ModelResource {

  /**
   * A version as the registry shows it; served is true for the policy the runtime serves; warnings
   * are what its trainer said the researcher must know; evaluation is a policy's against its
   * parent; promotionOverride the reason given when it was promoted without passing it.
   */
  public record VersionView(
      String version,
      String kind,
      String parentVersion,
      String rewardVersion,
      UUID cycleId,
      UUID runId,
      String stage,
      String checkpointPath,
      Map<String, Double> metrics,
      Instant publishedAt,
      Instant promotedAt,
      String promotedBy,
      boolean served,
      LineageQueries.LabelCounts labels,
      List<String> warnings,
      PolicyEvaluation evaluation,
      String promotionOverride) {}

  private final RegistryService registry;
  private final LineageQueries lineage;
  private final Caller caller;

  ModelResource(RegistryService registry, LineageQueries lineage, Caller caller) {
    this.registry = registry;
    this.lineage = lineage;
    this.caller = caller;
  }

  @GET
  public List<VersionView> list(@QueryParam("kind") String kind) {
    ModelVersionPublished.Kind wanted = kind == null || kind.isBlank() ? null : parseKind(kind);
    List<ModelVersion> versions = ModelVersion.list("order by publishedAt desc, version");
    String served = servedVersion(versions);
    Map<String, LineageQueries.LabelCounts> counts = lineage.directCounts();
    return versions.stream()
        .filter(v -> wanted == null || v.kind == wanted)
        .map(v -> view(v, served, counts))
        .toList();
  }

  @GET
  @Path("/{version}")
  public VersionView one(@PathParam("version") String version) {
    ModelVersion found = registry.find(version);
    return view(found, servedVersion(ModelVersion.listAll()), lineage.directCounts());
  }

  /**
   * Which labels made this version: its own and its ancestors', each with the version that used it.
   */
  @GET
  @Path("/{version}/labels")
  public List<LabelEvent> labels(
      @PathParam("version") String version,
      @QueryParam("limit") @DefaultValue("1000") int limit,
      @QueryParam("offset") @DefaultValue("0") int offset) {
    registry.find(version);
    return lineage.labelsOf(version, limit, offset);
  }

  /**
   * What a researcher may say when promoting; an empty body is fine for a version that passed its
   * evaluation.
   *
   * @param projects the projects whose prompts get fresh completions; absent: those whose labels
   *     trained the version
   * @param override why to promote a version whose evaluation did not pass (or that has none)
   */
  public record PromoteRequest(List<UUID> projects, String override) {}

  @POST
  @Path("/{version}/promote")
  @Consumes(MediaType.WILDCARD)
  @RolesAllowed({Role.RESEARCHER_NAME, Role.ADMIN_NAME})
  public RegistryService.Promotion promote(
      @PathParam("version") String version, PromoteRequest request) {
    return registry.promote(
        version,
        request == null ? null : request.projects(),
        request == null ? null : request.override(),
        caller.username());
  }

  private static ModelVersionPublished.Kind parseKind(String kind) {
    try {
      return ModelVersionPublished.Kind.valueOf(kind.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiProblem.invalid("kind", "kind is POLICY or REWARD");
    }
  }

  private static String servedVersion(List<ModelVersion> versions) {
    return versions.stream()
        .filter(v -> v.promotedAt != null)
        .max(Comparator.comparing((ModelVersion v) -> v.promotedAt))
        .map(v -> v.version)
        .orElse(null);
  }

  private static VersionView view(
      ModelVersion v, String served, Map<String, LineageQueries.LabelCounts> counts) {
    return new VersionView(
        v.version,
        v.kind.name(),
        v.parentVersion,
        v.rewardVersion,
        v.cycleId,
        v.runId,
        v.stage == null ? null : v.stage.name(),
        v.checkpointPath,
        v.metrics,
        v.publishedAt,
        v.promotedAt,
        v.promotedBy,
        v.version.equals(served),
        counts.getOrDefault(v.version, new LineageQueries.LabelCounts(0, 0, 0, 0)),
        v.warnings == null ? List.of() : v.warnings,
        v.evaluation,
        v.promotionOverride);
  }
}
