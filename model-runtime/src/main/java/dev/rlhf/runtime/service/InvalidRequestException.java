package dev.rlhf.runtime.service;

/** Bad input, naming the request field (in the OpenAI API's spelling) that is wrong. */
public class InvalidRequestException extends RuntimeException {

  private final String field;

  public InvalidRequestException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
