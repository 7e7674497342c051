package dev.rlhf.labeling.mapping;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits RFC 4180 CSV into records: fields may be quoted, quoted fields may hold commas, newlines
 * and doubled quotes. Each record keeps the line it started on, for the import report.
 */
public final class CsvRecords {

  /** One record and the 1-based line it starts on. */
  public record CsvRecord(int line, List<String> fields) {}

  private CsvRecords() {}

  public static List<CsvRecord> parse(String text) {
    List<CsvRecord> records = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean fieldStarted = false;
    int line = 1;
    int recordLine = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          if (c == '\n') line++;
          field.append(c);
        }
      } else if (c == '"' && field.isEmpty()) {
        quoted = true;
        fieldStarted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        fieldStarted = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
        if (fieldStarted || !field.isEmpty() || !fields.isEmpty()) {
          fields.add(field.toString());
          records.add(new CsvRecord(recordLine, List.copyOf(fields)));
        }
        fields.clear();
        field.setLength(0);
        fieldStarted = false;
        line++;
        recordLine = line;
      } else {
        field.append(c);
        fieldStarted = true;
      }
    }
    if (fieldStarted || !field.isEmpty() || !fields.isEmpty()) {
      fields.add(field.toString());
      records.add(new CsvRecord(recordLine, List.copyOf(fields)));
    }
    return records;
  }
}
