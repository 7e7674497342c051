package dev.rlhf.labeling.rest;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.quality.GoldFailing;
import dev.rlhf.labeling.service.DatasetFilter;
import dev.rlhf.labeling.service.ExportService;
import dev.rlhf.labeling.service.LabelFilter;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.List;
import java.util.Set;
import java.util.UUID;

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
  private final GoldFailing goldFailing;

  ExportResource(ExportService exports, GoldFailing goldFailing) {
    this.exports = exports;
    this.goldFailing = goldFailing;
  }

  /**
   * Every export takes the same filter as a training snapshot ({@link DatasetFilter}): {@code
   * contractor} may be repeated or comma-separated; {@code minGoldAccuracy} (0..1) leaves out the
   * labels of contractors whose gold accuracy is below it.
   */
  @GET
  @Path("/sft")
  public Response sft(
      @QueryParam("project") String project,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("guidelineVersion") String guidelineVersion,
      @QueryParam("contractor") List<String> contractors,
      @QueryParam("reviewedOnly") String reviewedOnly,
      @QueryParam("minGoldAccuracy") String minGoldAccuracy) {
    DatasetFilter filter =
        DatasetFilter.parse(
            "",
            Params.uuid("project", project),
            from,
            to,
            guidelineVersion,
            contractors,
            null,
            Params.bool("reviewedOnly", reviewedOnly, false),
            false,
            minGoldAccuracy);
    Set<UUID> failing = goldFailing.contractors(filter);
    return download("sft.jsonl", out -> exports.writeSft(filter, failing, out));
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
      @QueryParam("contractor") List<String> contractors,
      @QueryParam("minAgreement") String minAgreement,
      @QueryParam("reviewedOnly") String reviewedOnly,
      @QueryParam("includeArenaVotes") String includeArenaVotes,
      @QueryParam("minGoldAccuracy") String minGoldAccuracy) {
    DatasetFilter filter =
        DatasetFilter.parse(
            "",
            Params.uuid("project", project),
            from,
            to,
            guidelineVersion,
            contractors,
            minAgreement,
            Params.bool("reviewedOnly", reviewedOnly, false),
            Params.bool("includeArenaVotes", includeArenaVotes, false),
            minGoldAccuracy);
    Set<UUID> failing = goldFailing.contractors(filter);
    return download("preferences.jsonl", out -> exports.writePreferences(filter, failing, out));
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
