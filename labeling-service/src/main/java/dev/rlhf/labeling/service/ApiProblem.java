package dev.rlhf.labeling.service;

/**
 * A request the service refuses, with the HTTP status that says why and the field at fault. Thrown
 * inside a transaction it rolls everything back, so nothing partial is stored.
 */
public class ApiProblem extends RuntimeException {

  private final int status;
  private final String title;
  private final String field;

  public ApiProblem(int status, String title, String field, String detail) {
    super(detail);
    this.status = status;
    this.title = title;
    this.field = field;
  }

  public static ApiProblem invalid(String field, String detail) {
    return new ApiProblem(422, "Invalid input", field, detail);
  }

  public static ApiProblem badRequest(String field, String detail) {
    return new ApiProblem(400, "Bad request", field, detail);
  }

  public static ApiProblem notFound(String what) {
    return new ApiProblem(404, "Not found", null, what + " does not exist");
  }

  public static ApiProblem conflict(String field, String detail) {
    return new ApiProblem(409, "Conflict", field, detail);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public String field() {
    return field;
  }
}
