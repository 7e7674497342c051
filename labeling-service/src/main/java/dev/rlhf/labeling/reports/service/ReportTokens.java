package dev.rlhf.labeling.reports.service;

import dev.rlhf.labeling.reports.domain.ReportApiToken;
import dev.rlhf.labeling.security.SecretTokens;
import dev.rlhf.labeling.service.ApiProblem;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** API tokens of production systems that send reports ({@link SecretTokens}: digests only). */
@ApplicationScoped
public class ReportTokens {

  private static final String PREFIX = "rlhf_rt_";
  private static final String BEARER = "bearer ";
  private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

  /** A new token: the only time its secret is shown. */
  public record IssuedToken(UUID id, String source, String token, Instant createdAt) {}

  @Transactional
  public IssuedToken issue(String source, String createdBy) {
    if (source == null || !SOURCE.matcher(source).matches()) {
      throw ApiProblem.badRequest("source", "source must be 1-100 letters, digits or ._:-");
    }
    String token = SecretTokens.issue(PREFIX);
    ReportApiToken row = new ReportApiToken();
    row.id = UUID.randomUUID();
    row.source = source;
    row.tokenHash = SecretTokens.digest(token);
    row.createdBy = createdBy;
    row.createdAt = Instant.now();
    row.persist();
    return new IssuedToken(row.id, row.source, token, row.createdAt);
  }

  /** Refuses the token from now on; revoking twice keeps the first time. */
  @Transactional
  public ReportApiToken revoke(UUID id) {
    ReportApiToken row = ReportApiToken.findById(id);
    if (row == null) throw ApiProblem.notFound("report token " + id);
    if (row.revokedAt == null) row.revokedAt = Instant.now();
    return row;
  }

  public List<ReportApiToken> list() {
    return ReportApiToken.listAll(Sort.by("createdAt"));
  }

  /**
   * The source name of the live token in an {@code Authorization: Bearer} header; a 401 problem
   * when the header is missing, malformed, unknown or revoked, without saying which. A read, so it
   * joins the caller's transaction rather than opening one.
   */
  public String sourceOf(String authorization) {
    if (authorization == null
        || authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw unauthorized();
    }
    String token = authorization.substring(BEARER.length()).strip();
    ReportApiToken row =
        ReportApiToken.<ReportApiToken>find(
                "tokenHash = ?1 and revokedAt is null", SecretTokens.digest(token))
            .firstResult();
    if (row == null) throw unauthorized();
    return row.source;
  }

  private static ApiProblem unauthorized() {
    return new ApiProblem(
        401, "Unauthorized", "Authorization", "a valid report API token is required (Bearer)");
  }
}
