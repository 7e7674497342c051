package dev.rlhf.labeling.rest;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.service.ExportService;
import dev.rlhf.labeling.service.LabelFilter;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * Datasets as JSON Lines, streamed (rejected labels left out, corrected ones as corrected; {@code
 * reviewedOnly=true} keeps reviewed labels alone): SFT conversations and preference pairs in the
 * formats TRL and Hugging Face datasets load ({@code load_dataset("json", data_files=...)}), and
 * the contractors' ratings and flags of completions.
 */
@Path("/api/exports")
@Produces(ExportResource.JSON_LINES)
@RolesAllowed({Role.RESEARCHER_NAME, Role.ADMIN_NAME})
public class ExportResource {

  public static final String JSON_LINES = "application/x-ndjson";

  private final ExportService exports;

  ExportResource(ExportService exports) {
    this.exports = exports;
  }

  @GET
  @Path("/sft")
  public Response sft(
      @QueryParam("project") String project,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("guidelineVersion") String guidelineVersion,
      @QueryParam("reviewedOnly") String reviewedOnly) {
    LabelFilter filter =
        LabelFilter.of(
            Params.uuid("project", project), null, from, to, null, guidelineVersion, null);
    boolean reviewed = Params.bool("reviewedOnly", reviewedOnly, false);
    return download("sft.jsonl", out -> exports.writeSft(filter, reviewed, out));
  }

  /**
   * minAgreement keeps only rankings of tasks whose rankers agreed at least that much (0..1); blind
   * arena votes are left out unless includeArenaVotes=true.
   */
  @GET
  @Path("/preferences")
  public Response preferences(
      @QueryParam("project") String project,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("guidelineVersion") String guidelineVersion,
      @QueryParam("minAgreement") String minAgreement,
      @QueryParam("reviewedOnly") String reviewedOnly,
      @QueryParam("includeArenaVotes") String includeArenaVotes) {
    LabelFilter filter =
        LabelFilter.of(
            Params.uuid("project", project), null, from, to, null, guidelineVersion, minAgreement);
    boolean reviewed = Params.bool("reviewedOnly", reviewedOnly, false);
    boolean arena = Params.bool("includeArenaVotes", includeArenaVotes, false);
    return download(
        "preferences.jsonl", out -> exports.writePreferences(filter, reviewed, arena, out));
  }

  @GET
  @Path("/ratings")
  public Response ratings(
      @QueryParam("project") String project,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("contractor") String contractor,
      @QueryParam("guidelineVersion") String guidelineVersion) {
    LabelFilter filter =
        LabelFilter.of(
            Params.uuid("project", project), null, from, to, contractor, guidelineVersion, null);
    return download("ratings.jsonl", out -> exports.writeRatings(filter, out));
  }

  private static Response download(String filename, StreamingOutput body) {
    return Response.ok(body, JSON_LINES)
        .header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
        .build();
  }
}
