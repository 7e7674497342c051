package dev.rlhf.labeling.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.labeling.LabelingApi;
import dev.rlhf.labeling.service.FigureCompaction;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Bad bodies at every endpoint that reads one, taken from the application's own OpenAPI document:
 * malformed JSON, bytes that are no UTF-8, the wrong JSON type at the top and in every field the
 * document names, random shapes, huge strings, a body over the size limit. Every one is answered
 * 4xx with a problem body that names no Java internals, and nothing is stored (every table keeps
 * its rows, the tables an update could touch their contents).
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class WriteEndpointFuzzTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int HUGE = 100_000;
  // Over quarkus.http.limits.max-body-size (10 MB by default).
  private static final int OVERSIZED = 11 * 1024 * 1024;

  @Inject AgroalDataSource dataSource;
  @Inject FigureCompaction compaction;

  private final Random random = new Random(26);

  /** One operation that reads a body. */
  private record Operation(String method, String path, String mediaType, JsonNode schema) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  @Test
  void shouldAnswerEveryBadBodyAtEveryWriteEndpointWithAProblemAndStoreNothing() throws Exception {
    String caller = LabelingApi.user("contractor", "reviewer", "researcher", "admin");
    String project = LabelingApi.project(caller, 1, 1);
    String target = LabelingApi.user("reviewer");
    List<Operation> operations = operations();
    assertThat(operations).extracting(Operation::toString).contains("POST /api/projects");
    Map<String, Long> before = snapshot();

    int requests = 0;
    for (Operation operation : operations) {
      String path =
          operation
              .path()
              .replace("/api/projects/{id}", "/api/projects/" + project)
              .replace("{username}", target)
              .replace("{version}", "fuzz-no-such-version")
              .replaceAll("\\{[^}]*}", UUID.randomUUID().toString());
      for (byte[] body : badBodies(operation)) {
        Response response =
            given()
                .auth()
                .preemptive()
                .basic(caller, LabelingApi.PASSWORD)
                .header("X-Requested-With", "fuzz")
                .contentType(operation.mediaType())
                .body(body)
                .request(operation.method(), path);
        assertAnsweredWithAProblem(operation, body, response);
        requests++;
      }
      String tooLarge = oversized(operation, path, caller);
      assertThat(tooLarge)
          .as(operation + " oversized")
          .startsWith("HTTP/1.1 413")
          .containsIgnoringCase("content-type: application/problem+json")
          .contains("\"status\":413");
    }

    assertThat(requests).isGreaterThan(500);
    assertThat(snapshot()).as("what the database holds").isEqualTo(before);
  }

  private static void assertAnsweredWithAProblem(Operation operation, byte[] body, Response r) {
    String shown = new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8);
    String what = operation + " with " + shown;
    String answer = r.asString();
    if (operation.path().endsWith("/prompts/import") && r.statusCode() == 200) {
      // An import answers with a report per row: every row refused, none stored.
      assertThat(r.<Integer>path("accepted")).as(what + " -> " + answer).isZero();
      return;
    }
    assertThat(r.statusCode()).as(what + " -> " + answer).isBetween(400, 499);
    assertThat(r.contentType()).as(what + " -> " + answer).startsWith("application/problem+json");
    assertThat(r.<Integer>path("status")).as(what).isEqualTo(r.statusCode());
    assertThat(answer)
        .as(what)
        .doesNotContain("dev.rlhf", "java.", "jakarta.", "com.fasterxml", "Exception", "\tat ");
  }

  /** Every operation with a request body, from the OpenAPI document. */
  private static List<Operation> operations() throws Exception {
    JsonNode document = JSON.readTree(given().get("/q/openapi?format=json").asString());
    List<Operation> operations = new ArrayList<>();
    document
        .path("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fields()
                    .forEachRemaining(
                        op -> {
                          JsonNode content = op.getValue().path("requestBody").path("content");
                          if (content.isMissingNode()
                              || path.getKey().equals("/j_security_check")) {
                            return;
                          }
                          Iterator<String> types = content.fieldNames();
                          String type = types.hasNext() ? types.next() : "application/json";
                          if (type.equals("*/*")) type = "application/json";
                          JsonNode schema = resolve(document, content.path(type).path("schema"));
                          operations.add(
                              new Operation(
                                  op.getKey().toUpperCase(Locale.ROOT),
                                  path.getKey(),
                                  type,
                                  schema));
                        }));
    return operations;
  }

  private static JsonNode resolve(JsonNode document, JsonNode schema) {
    String ref = schema.path("$ref").asText("");
    if (ref.startsWith("#/components/schemas/")) {
      return document
          .path("components")
          .path("schemas")
          .path(ref.substring("#/components/schemas/".length()));
    }
    return schema;
  }

  private List<byte[]> badBodies(Operation operation) {
    List<byte[]> bodies = new ArrayList<>();
    for (String malformed :
        List.of("{", "{\"a\":", "[1,2", "nul", "{\"x\":1}}", "{'single':'quotes'}", "\u0000")) {
      bodies.add(malformed.getBytes(StandardCharsets.UTF_8));
    }
    bodies.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
    for (JsonNode value :
        List.of(NODES.arrayNode(), NODES.textNode("text"), NODES.numberNode(42))) {
      bodies.add(bytes(value));
    }
    // The wrong type, and a huge string, in each field the document names.
    operation
        .schema()
        .path("properties")
        .fields()
        .forEachRemaining(
            field -> {
              for (JsonNode wrong : wrongValuesFor(field.getValue())) {
                bodies.add(bytes(NODES.objectNode().set(field.getKey(), wrong)));
              }
            });
    for (int i = 0; i < 12; i++) bodies.add(bytes(randomShape(operation.schema(), 0)));
    return bodies;
  }

  /**
   * A body announced larger than the limit: the request's head and the first bytes only, on a plain
   * socket, since the refusal must come before the megabytes would.
   */
  private static String oversized(Operation operation, String path, String caller)
      throws Exception {
    URI base = URI.create(LabelingApi.origin());
    String basic =
        Base64.getEncoder()
            .encodeToString((caller + ":" + LabelingApi.PASSWORD).getBytes(StandardCharsets.UTF_8));
    String head =
        operation.method()
            + " "
            + path
            + " HTTP/1.1\r\nHost: "
            + base.getAuthority()
            + "\r\nAuthorization: Basic "
            + basic
            + "\r\nX-Requested-With: fuzz\r\nContent-Type: "
            + operation.mediaType()
            + "\r\nContent-Length: "
            + OVERSIZED
            + "\r\n\r\n{\"a\":\"";
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(head.getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<JsonNode> wrongValuesFor(JsonNode fieldSchema) {
    String type = fieldSchema.path("type").asText("object");
    String huge = "x".repeat(HUGE);
    return switch (type) {
      case "string" ->
          List.of(
              NODES.numberNode(12345), NODES.objectNode(), NODES.arrayNode(), NODES.textNode(huge));
      case "integer" ->
          List.of(NODES.textNode("many"), NODES.objectNode(), NODES.numberNode(1e300));
      case "number" -> List.of(NODES.textNode("many"), NODES.objectNode());
      case "boolean" -> List.of(NODES.textNode("yes please"), NODES.objectNode());
      case "array" -> {
        ArrayNode hugeList = NODES.arrayNode();
        hugeList.add(huge);
        ArrayNode wrongItems = NODES.arrayNode();
        wrongItems.add(NODES.objectNode().put("role", 7).put("text", false));
        yield List.of(NODES.textNode("not a list"), NODES.objectNode(), hugeList, wrongItems);
      }
      default -> List.of(NODES.textNode("not an object"), NODES.arrayNode(), NODES.numberNode(3));
    };
  }

  /**
   * A random JSON object: a field the document names with a value of a random (mostly wrong) shape,
   * plus fields nobody knows. (An object of unknown fields alone is no bad input: an update with
   * nothing to change is a valid no-op, so every random object carries a known field.)
   */
  private JsonNode randomShape(JsonNode schema, int depth) {
    ObjectNode object = NODES.objectNode();
    List<String> known = new ArrayList<>();
    schema.path("properties").fieldNames().forEachRemaining(known::add);
    if (known.isEmpty()) return randomValue(depth);
    String field = known.get(random.nextInt(known.size()));
    String type = schema.path("properties").path(field).path("type").asText("object");
    JsonNode value;
    do {
      value = randomValue(depth + 1);
    } while (sameKind(type, value));
    object.set(field, value);
    for (int i = random.nextInt(3); i > 0; i--) {
      object.set("f" + random.nextInt(1000), randomValue(depth + 1));
    }
    return object;
  }

  /** Whether a value could be right for the type (null: a field left out, which may be fine). */
  private static boolean sameKind(String type, JsonNode value) {
    if (value.isNull()) return true;
    return switch (type) {
      case "string" -> value.isTextual();
      case "integer", "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      case "array" -> value.isArray();
      default -> value.isObject();
    };
  }

  private JsonNode randomValue(int depth) {
    int kind = random.nextInt(depth >= 3 ? 4 : 6);
    return switch (kind) {
      case 0 -> NODES.textNode(randomText());
      case 1 -> NODES.numberNode(random.nextInt(2) == 0 ? random.nextInt() : random.nextDouble());
      case 2 -> NODES.booleanNode(random.nextBoolean());
      case 3 -> NODES.nullNode();
      case 4 -> {
        ArrayNode array = NODES.arrayNode();
        for (int i = random.nextInt(4); i > 0; i--) array.add(randomValue(depth + 1));
        yield array;
      }
      default -> {
        ObjectNode object = NODES.objectNode();
        for (int i = random.nextInt(4); i > 0; i--) {
          object.set("k" + random.nextInt(100), randomValue(depth + 1));
        }
        yield object;
      }
    };
  }

  private String randomText() {
    String[] samples = {
      "", " ", "<script>alert(1)</script>", "../../etc/passwd", "ünïcødé", "\u202e"
    };
    return samples[random.nextInt(samples.length)] + "x".repeat(random.nextInt(3) * 20_000);
  }

  private static byte[] bytes(JsonNode node) {
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Rows per table, and a digest of the contents of the tables an update could change. The outbox's
   * rows count too: nothing refused may publish an event. The dashboard figures' rows are folded
   * first: the compaction job folds them on its own clock (every 30 s), which changes their row
   * counts but not one figure.
   */
  private Map<String, Long> snapshot() throws Exception {
    compaction.compact();
    Map<String, Long> snapshot = new TreeMap<>();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rows =
          statement.executeQuery(
              "select table_name from information_schema.tables where table_schema = 'public'"
                  + " and table_type = 'BASE TABLE' and table_name <> 'flyway_schema_history'")) {
        while (rows.next()) tables.add(rows.getString(1));
      }
      for (String table : tables) {
        try (ResultSet count = statement.executeQuery("select count(*) from " + table)) {
          count.next();
          snapshot.put(table, count.getLong(1));
        }
      }
      for (String table : List.of("project", "app_user", "guideline_version")) {
        try (ResultSet digest =
            statement.executeQuery(
                "select coalesce(sum(hashtext(t::text)::bigint), 0) from " + table + " t")) {
          digest.next();
          snapshot.put(table + " contents", digest.getLong(1));
        }
      }
    }
    return snapshot;
  }
}
