package dev.rlhf.labeling.reports.service;

import dev.rlhf.labeling.reports.domain.ReportApiToken;
import dev.rlhf.labeling.service.ApiProblem;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * API tokens of production systems that send reports. A token is 32 random bytes, so a plain
 * SHA-256 digest is enough to store (no slow hash needed: there is nothing to guess), and looking
 * one up per request stays cheap.
 */
@ApplicationScoped
public class ReportTokens {

  private static final String PREFIX = "rlhf_rt_";
  private static final String BEARER = "bearer ";
  private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new token: the only time its secret is shown. */
  public record IssuedToken(UUID id, String source, String token, Instant createdAt) {}

  @Transactional
  public IssuedToken issue(String source, String createdBy) {
    if (source == null || !SOURCE.matcher(source).matches()) {
      throw ApiProblem.badRequest("source", "source must be 1-100 letters, digits or ._:-");
    }
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    ReportApiToken row = new ReportApiToken();
    row.id = UUID.randomUUID();
    row.source = source;
    row.tokenHash = digest(token);
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
        ReportApiToken.<ReportApiToken>find("tokenHash = ?1 and revokedAt is null", digest(token))
            .firstResult();
    if (row == null) throw unauthorized();
    return row.source;
  }

  private static ApiProblem unauthorized() {
    return new ApiProblem(
        401, "Unauthorized", "Authorization", "a valid report API token is required (Bearer)");
  }

  static String digest(String token) {
    return HexFormat.of()
        .formatHex(ConversationHash.sha256().digest(token.getBytes(StandardCharsets.UTF_8)));
  }
}
