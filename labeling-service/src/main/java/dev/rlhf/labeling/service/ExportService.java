package dev.rlhf.labeling.service;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.events.EventCodec;
import dev.rlhf.events.contract.PreferencePairs;
import dev.rlhf.labeling.registry.LabelType;
import dev.rlhf.labeling.review.ReviewedLabels;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Writes datasets as JSON Lines straight from a database cursor, row by row, so an export of any
 * size needs constant memory. The formats are the ones TRL and Hugging Face datasets read:
 * conversational SFT ({@code messages}), conversational preferences ({@code prompt / chosen /
 * rejected}) and per-completion ratings (one flat record per rating).
 */
@ApplicationScoped
public class ExportService {

  private static final int FETCH_SIZE = 500;
  private static final ObjectMapper MAPPER = EventCodec.mapper();

  private final AgroalDataSource dataSource;

  ExportService(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * One line per demonstration the filter takes (see {@link DatasetFilter}); a corrected one gives
   * its correction (see {@link ReviewedLabels}).
   */
  public void writeSft(DatasetFilter filter, Collection<UUID> goldFailing, OutputStream out) {
    List<Object> params = new ArrayList<>();
    String sql =
        "select p.conversation::text, "
            + ReviewedLabels.response("d")
            + " from demonstration d"
            + " join prompt p on p.id = d.prompt_id"
            + ReviewedLabels.join("d")
            + " where true"
            + filter.conditions("d", LabelType.DEMONSTRATION, goldFailing, params)
            + " order by d.created_at, d.id";
    stream(
        sql,
        params,
        out,
        (row, json) -> {
          json.writeStartObject();
          json.writeArrayFieldStart("messages");
          writeTurns(json, MAPPER.readTree(row.getString(1)));
          writeMessage(json, "assistant", row.getString(2));
          json.writeEndArray();
          json.writeEndObject();
          return 1;
        });
  }

  /**
   * Every preference pair of every ranking the filter takes (see {@link DatasetFilter}), by the
   * rule of {@link PreferencePairs}; a corrected ranking gives the reviewer's order.
   */
  public void writePreferences(
      DatasetFilter filter, Collection<UUID> goldFailing, OutputStream out) {
    List<Object> params = new ArrayList<>();
    String where = " where true" + filter.conditions("r", LabelType.RANKING, goldFailing, params);
    String sql =
        "select p.conversation::text, r.all_bad, r.better_response,"
            + " (select json_agg(json_build_object('text', c.text, 'rank', "
            + ReviewedLabels.rank("e", "c")
            + ") order by "
            + ReviewedLabels.rank("e", "c")
            + ", c.id) from ranking_entry e join completion c"
            + "   on c.id = e.completion_id where e.ranking_id = r.id)::text"
            + " from ranking r join prompt p on p.id = r.prompt_id"
            + ReviewedLabels.join("r")
            + where
            + " order by r.created_at, r.id";
    stream(
        sql,
        params,
        out,
        (row, json) -> {
          JsonNode prompt = MAPPER.readTree(row.getString(1));
          List<PreferencePairs.Ranked> ranked = new ArrayList<>();
          for (JsonNode e : MAPPER.readTree(row.getString(4))) {
            ranked.add(new PreferencePairs.Ranked(e.get("text").asText(), e.get("rank").asInt()));
          }
          int pairs = 0;
          for (PreferencePairs.Pair pair :
              PreferencePairs.of(ranked, row.getBoolean(2), row.getString(3))) {
            writePair(json, prompt, pair.chosen(), pair.rejected(), pairs++);
          }
          return pairs;
        });
  }

  /**
   * One line per rating: the prompt's {@code messages}, the rated {@code completion} and the policy
   * version that wrote it, the three Likert scores (1..5, null when not given), the flags, the
   * annotator and the guideline version. Every line has the same keys, so a Hugging Face dataset
   * loads it with one schema.
   */
  public void writeRatings(LabelFilter filter, OutputStream out) {
    List<Object> params = new ArrayList<>();
    String sql =
        "select r.id, r.prompt_id, r.completion_id, p.conversation::text, r.completion_text,"
            + " r.policy_version, r.helpful, r.truthful, r.harmless, r.flags::text, u.username,"
            + " r.guideline_version, r.created_at from "
            + RatingRows.SQL
            + " r join prompt p on p.id = r.prompt_id join app_user u on u.id = r.contractor_id"
            + filter.where("r", params)
            + " order by r.created_at, r.id";
    stream(
        sql,
        params,
        out,
        (row, json) -> {
          json.writeStartObject();
          json.writeStringField("rating_id", row.getString(1));
          json.writeStringField("prompt_id", row.getString(2));
          json.writeStringField("completion_id", row.getString(3));
          json.writeArrayFieldStart("messages");
          writeTurns(json, MAPPER.readTree(row.getString(4)));
          json.writeEndArray();
          json.writeStringField("completion", row.getString(5));
          json.writeStringField("policy_version", row.getString(6));
          writeScore(json, "helpful", row, 7);
          writeScore(json, "truthful", row, 8);
          writeScore(json, "harmless", row, 9);
          json.writeArrayFieldStart("flags");
          for (JsonNode flag : MAPPER.readTree(row.getString(10))) json.writeString(flag.asText());
          json.writeEndArray();
          json.writeStringField("annotator", row.getString(11));
          json.writeNumberField("guideline_version", row.getInt(12));
          json.writeStringField("rated_at", row.getTimestamp(13).toInstant().toString());
          json.writeEndObject();
          return 1;
        });
  }

  private static void writeScore(JsonGenerator json, String name, ResultSet row, int column)
      throws SQLException, IOException {
    int score = row.getInt(column);
    if (row.wasNull()) json.writeNullField(name);
    else json.writeNumberField(name, score);
  }

  private static void writePair(
      JsonGenerator json, JsonNode prompt, String chosen, String rejected, int written)
      throws IOException {
    if (written > 0) json.writeRaw('\n');
    json.writeStartObject();
    json.writeArrayFieldStart("prompt");
    writeTurns(json, prompt);
    json.writeEndArray();
    json.writeArrayFieldStart("chosen");
    writeMessage(json, "assistant", chosen);
    json.writeEndArray();
    json.writeArrayFieldStart("rejected");
    writeMessage(json, "assistant", rejected);
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void writeTurns(JsonGenerator json, JsonNode conversation) throws IOException {
    for (JsonNode turn : conversation) {
      writeMessage(
          json, turn.get("role").asText().toLowerCase(Locale.ROOT), turn.get("text").asText());
    }
  }

  private static void writeMessage(JsonGenerator json, String role, String content)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("role", role);
    json.writeStringField("content", content);
    json.writeEndObject();
  }

  /** Writes lines of one result row; returns how many lines it wrote. */
  private interface RowWriter {
    int write(ResultSet row, JsonGenerator json) throws SQLException, IOException;
  }

  private void stream(String sql, List<Object> params, OutputStream out, RowWriter writer) {
    try (Connection connection = dataSource.getConnection()) {
      // PostgreSQL streams with a cursor only inside a transaction.
      connection.setAutoCommit(false);
      try (PreparedStatement statement = Jdbc.prepare(connection, sql, params);
          JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
        json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        json.setRootValueSeparator(null);
        statement.setFetchSize(FETCH_SIZE);
        try (ResultSet row = statement.executeQuery()) {
          while (row.next()) {
            if (writer.write(row, json) > 0) json.writeRaw('\n');
          }
        }
        json.flush();
      } finally {
        connection.rollback();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("export query failed", e);
    } catch (IOException e) {
      throw new UncheckedIOException("export was cut off", e);
    }
  }
}
