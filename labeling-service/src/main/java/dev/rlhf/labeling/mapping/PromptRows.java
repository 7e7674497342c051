package dev.rlhf.labeling.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.events.contract.ChatTurn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads prompt import files into rows, one per JSONL line or CSV record. A row that cannot be read
 * carries the reason instead; checks that need the database happen in the import service.
 *
 * <p>JSONL: {@code {"conversation":[{"role":"user","text":"..."}], "source":"...", "tags":[...],
 * "author":"username"}}; {@code messages} with {@code content} (the chat format) and a plain {@code
 * "prompt":"..."} are accepted too. CSV: a header naming {@code prompt} and optionally {@code
 * source}, {@code tags} (separated by ';') and {@code author}.
 */
public final class PromptRows {

  /** One row of the file: a conversation, or the field and reason it was rejected for. */
  public record PromptRow(
      int row,
      List<ChatTurn> conversation,
      String source,
      List<String> tags,
      String author,
      String rejectedField,
      String rejectedReason) {

    static PromptRow rejected(int row, String field, String reason) {
      return new PromptRow(row, null, null, null, null, field, reason);
    }

    public boolean isRejected() {
      return rejectedReason != null;
    }
  }

  private PromptRows() {}

  public static List<PromptRow> fromJsonLines(String body, ObjectMapper mapper) {
    List<PromptRow> rows = new ArrayList<>();
    String[] lines = body.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) continue;
      int row = i + 1;
      JsonNode node;
      try {
        node = mapper.readTree(lines[i]);
      } catch (Exception e) {
        rows.add(PromptRow.rejected(row, "line", "not valid JSON"));
        continue;
      }
      if (!node.isObject()) {
        rows.add(PromptRow.rejected(row, "line", "not a JSON object"));
        continue;
      }
      rows.add(fromJson(row, node));
    }
    return rows;
  }

  private static PromptRow fromJson(int row, JsonNode node) {
    List<ChatTurn> turns = new ArrayList<>();
    JsonNode turnsNode = node.has("conversation") ? node.get("conversation") : node.get("messages");
    if (turnsNode != null) {
      if (!turnsNode.isArray()) return PromptRow.rejected(row, "conversation", "not a list");
      for (JsonNode turn : turnsNode) {
        ChatTurn.Role role = role(turn.path("role").asText(""));
        JsonNode text = turn.has("text") ? turn.get("text") : turn.get("content");
        if (role == null) {
          return PromptRow.rejected(
              row, "conversation.role", "role must be system, user or assistant");
        }
        if (text == null || !text.isTextual()) {
          return PromptRow.rejected(row, "conversation.text", "every turn needs a text");
        }
        turns.add(new ChatTurn(role, text.asText()));
      }
    } else if (node.path("prompt").isTextual()) {
      turns.add(new ChatTurn(ChatTurn.Role.USER, node.get("prompt").asText()));
    } else {
      return PromptRow.rejected(row, "conversation", "conversation or prompt is required");
    }
    List<String> tags = new ArrayList<>();
    node.path("tags").forEach(t -> tags.add(t.asText()));
    String source = node.path("source").isTextual() ? node.get("source").asText() : null;
    String author = node.path("author").isTextual() ? node.get("author").asText() : null;
    return new PromptRow(row, turns, source, tags, author, null, null);
  }

  public static List<PromptRow> fromCsv(String body) {
    List<CsvRecords.CsvRecord> records = CsvRecords.parse(body);
    List<PromptRow> rows = new ArrayList<>();
    if (records.isEmpty()) return rows;
    List<String> header =
        records.get(0).fields().stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
    int prompt = header.indexOf("prompt");
    if (prompt < 0) {
      rows.add(PromptRow.rejected(1, "prompt", "the header must name a 'prompt' column"));
      return rows;
    }
    for (CsvRecords.CsvRecord record : records.subList(1, records.size())) {
      List<String> f = record.fields();
      if (f.size() != header.size()) {
        rows.add(
            PromptRow.rejected(
                record.line(),
                "row",
                "has " + f.size() + " fields, the header has " + header.size()));
        continue;
      }
      String tags = column(f, header, "tags");
      rows.add(
          new PromptRow(
              record.line(),
              List.of(new ChatTurn(ChatTurn.Role.USER, f.get(prompt))),
              column(f, header, "source"),
              tags == null || tags.isBlank()
                  ? List.of()
                  : Arrays.stream(tags.split(";")).map(String::trim).toList(),
              column(f, header, "author"),
              null,
              null));
    }
    return rows;
  }

  private static String column(List<String> fields, List<String> header, String name) {
    int i = header.indexOf(name);
    return i < 0 || fields.get(i).isBlank() ? null : fields.get(i);
  }

  private static ChatTurn.Role role(String name) {
    try {
      return ChatTurn.Role.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
