package dev.rlhf.events;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What an HTTP error answer may say about a body it could not read. Jackson's own messages name
 * Java types ({@code dev.rlhf.events.contract.ChatTurn$Role}), which tell a stranger how the
 * service is built and tell a user nothing; these say what was expected in JSON's words.
 */
public final class ErrorText {

  // A package-qualified Java name (java.util.List, dev.rlhf.x.Y$Z) or a nested one (ChatTurn$Role).
  private static final Pattern JAVA_NAME =
      Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Za-z_][\\w$]*|\\b[A-Z]\\w*\\$[\\w$]+");

  private ErrorText() {}

  /** The JSON path of the value at fault ({@code conversation[2].role}), or null for the body. */
  public static String field(JsonProcessingException e) {
    if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) return null;
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference r : mapping.getPath()) {
      if (r.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    return path.isEmpty() ? null : path.toString();
  }

  /** Why the body could not be read, without Java names. */
  public static String describe(JsonProcessingException e) {
    if (e instanceof ValueInstantiationException) {
      Throwable cause = e.getCause();
      return cause != null && cause.getMessage() != null
          ? scrub(cause.getMessage())
          : "a value is missing or invalid";
    }
    if (e instanceof UnrecognizedPropertyException unknown) {
      return "unknown field '" + unknown.getPropertyName() + "'";
    }
    if (e instanceof InvalidFormatException invalid) {
      return "'" + invalid.getValue() + "' is not " + expected(invalid.getTargetType());
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return "expected " + expected(mismatch.getTargetType());
    }
    if (e instanceof JsonMappingException) return "the JSON does not have the expected shape";
    JsonLocation at = e.getLocation();
    return at == null || at.getLineNr() < 0
        ? "malformed JSON"
        : "malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  /** A message with every Java type name in it replaced, for text that did not come from us. */
  public static String scrub(String message) {
    return message == null ? null : JAVA_NAME.matcher(message).replaceAll("value");
  }

  private static String expected(Class<?> type) {
    if (type.isEnum()) {
      return "one of "
          + Arrays.stream(type.getEnumConstants())
              .map(String::valueOf)
              .collect(Collectors.joining(", "));
    }
    if (type == String.class || type == char.class || type == Character.class) return "a string";
    if (type == boolean.class || type == Boolean.class) return "true or false";
    if (type.isPrimitive() || Number.class.isAssignableFrom(type)) return "a number";
    if (type.isArray() || Collection.class.isAssignableFrom(type)) return "a list";
    if (Map.class.isAssignableFrom(type) || type.isRecord()) return "an object";
    // Ids, dates and other values JSON writes as text.
    return "a valid value";
  }
}
