package dev.rlhf.labeling.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of every error answer, as {@code application/problem+json} (RFC 9457): what is wrong
 * and, for bad input, which fields.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemDetail(
    String type, String title, int status, String detail, String field, List<String> fields) {

  public static final String MEDIA_TYPE = "application/problem+json";
}
