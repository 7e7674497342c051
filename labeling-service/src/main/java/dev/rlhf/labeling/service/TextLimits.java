package dev.rlhf.labeling.service;

import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.labeling.config.TaskSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The one check every user-written text goes through: present when required, and not too long. */
@ApplicationScoped
public class TextLimits {

  private final int maxBytes;
  private final int maxPromptBytes;

  TextLimits(TaskSettings settings) {
    this.maxBytes = settings.maxTextBytes();
    this.maxPromptBytes = settings.maxPromptBytes();
  }

  /** Returns the text, or throws a 422 naming the field. */
  public String require(String field, String text) {
    if (text == null || text.isBlank()) throw ApiProblem.invalid(field, field + " is required");
    return limit(field, text);
  }

  /**
   * Accepts null; refuses a text longer than the limit, or with a NUL character (PostgreSQL stores
   * none in text or JSON, so it would fail in the database instead).
   */
  public String limit(String field, String text) {
    if (text != null && text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      throw ApiProblem.invalid(
          field, field + " is longer than " + maxBytes + " bytes (" + maxBytes / 1024 + " KB)");
    }
    if (text != null && text.indexOf('\0') >= 0) {
      throw ApiProblem.invalid(field, field + " contains a NUL character (\\u0000)");
    }
    return text;
  }

  /** Refuses a conversation whose turns together are longer than the prompt limit. */
  public void limitConversation(String field, List<ChatTurn> turns) {
    long total = 0;
    for (ChatTurn turn : turns) {
      total += turn.text() == null ? 0 : turn.text().getBytes(StandardCharsets.UTF_8).length;
    }
    if (total > maxPromptBytes) {
      throw ApiProblem.invalid(
          field,
          "the turns together are "
              + total
              + " bytes, longer than "
              + maxPromptBytes
              + " bytes ("
              + maxPromptBytes / 1024
              + " KB)");
    }
  }

  public int maxBytes() {
    return maxBytes;
  }
}
