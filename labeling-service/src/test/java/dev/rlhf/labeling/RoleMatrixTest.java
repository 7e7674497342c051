package dev.rlhf.labeling;

import static dev.rlhf.labeling.LabelingApi.admin;
import static dev.rlhf.labeling.LabelingApi.project;
import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.user;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint called by every role, signed in both ways (basic auth, as scripts do, and the
 * session cookie, as browsers do): anonymous callers get 401, roles without the right get 403, the
 * others reach the endpoint and get its answer (2xx; 404 for an id that does not exist or an
 * assignment that is not theirs; 400 or 422 where a body that validation refuses keeps the call
 * from starting real work). The endpoints come from the application's own OpenAPI document, and the
 * test fails while one of them has no row here: a new endpoint cannot be forgotten.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class RoleMatrixTest {

  private static final Set<String> ANY = Set.of("contractor", "reviewer", "researcher", "admin");
  private static final Set<String> CONTRACTOR = Set.of("contractor");
  private static final Set<String> RESEARCH = Set.of("researcher", "admin");
  private static final Set<String> READ = Set.of("researcher", "reviewer", "admin");
  private static final Set<String> ADMIN = Set.of("admin");
  private static final Set<String> REVIEW = Set.of("reviewer", "admin");
  private static final String NONE = "anonymous";
  // Open to everyone, signed in or not: the sign-in form and the report intake (whose token is
  // checked by the endpoint itself).
  private static final Set<String> PUBLIC =
      Set.of(NONE, "contractor", "reviewer", "researcher", "admin");

  enum Transport {
    BASIC,
    COOKIE
  }

  record Endpoint(String method, String path, String body, Set<String> allowed, int expected) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private static final List<Endpoint> ENDPOINTS =
      List.of(
          // An empty sign-in form is refused before any password is checked (nor counted a guess).
          new Endpoint("POST", "/j_security_check", "", PUBLIC, 400),
          new Endpoint("GET", "/api/me", null, ANY, 200),
          new Endpoint("POST", "/api/me/logout", null, ANY, 204),
          new Endpoint(
              "POST",
              "/api/me/password",
              "{\"currentPassword\":\"x\",\"newPassword\":\"short\"}",
              ANY,
              422),
          new Endpoint("GET", "/api/me/statistics", null, CONTRACTOR, 200),
          new Endpoint("POST", "/api/tasks/next?project={empty}", null, CONTRACTOR, 204),
          new Endpoint("GET", "/api/assignments", null, CONTRACTOR, 200),
          new Endpoint("GET", "/api/assignments/{random}", null, CONTRACTOR, 404),
          new Endpoint(
              "POST",
              "/api/assignments/{random}/demonstration",
              "{\"response\":\"r\"}",
              CONTRACTOR,
              404),
          new Endpoint(
              "POST", "/api/assignments/{random}/ranking", "{\"allBad\":true}", CONTRACTOR, 404),
          new Endpoint(
              "PUT", "/api/assignments/{random}/ratings", "{\"ratings\":[]}", CONTRACTOR, 404),
          new Endpoint(
              "POST", "/api/assignments/{random}/skip", "{\"reason\":\"no\"}", CONTRACTOR, 404),
          new Endpoint("GET", "/api/projects", null, ANY, 200),
          new Endpoint(
              "POST",
              "/api/projects",
              "{\"name\":\"{unique}\",\"guidelines\":\"# g\"}",
              RESEARCH,
              201),
          new Endpoint("GET", "/api/projects/{project}", null, ANY, 200),
          new Endpoint("PATCH", "/api/projects/{project}", "{\"rankingOverlap\":2}", RESEARCH, 200),
          new Endpoint("GET", "/api/projects/{project}/guidelines", null, ANY, 200),
          new Endpoint("GET", "/api/projects/{project}/guidelines/current", null, ANY, 200),
          new Endpoint(
              "POST",
              "/api/projects/{project}/guidelines",
              "{\"markdown\":\"# v\"}",
              RESEARCH,
              201),
          new Endpoint(
              "POST",
              "/api/projects/{project}/prompts/import?tasks=NONE",
              "{\"prompt\":\"hi\"}",
              RESEARCH,
              200),
          new Endpoint("GET", "/api/projects/{project}/prompts", null, READ, 200),
          new Endpoint(
              "POST",
              "/api/projects/{project}/tasks",
              "{\"promptId\":\"{prompt}\",\"type\":\"DEMONSTRATION\"}",
              RESEARCH,
              201),
          new Endpoint("POST", "/api/tasks/{task}/cancel", null, RESEARCH, 200),
          new Endpoint(
              "POST",
              "/api/projects/{project}/completion-requests",
              "{\"promptIds\":[\"{prompt}\"],\"k\":2}",
              RESEARCH,
              202),
          new Endpoint(
              "GET", "/api/projects/{project}/completion-requests/summary", null, RESEARCH, 200),
          // The queue as active selection ordered it, with reward scores contractors must not see.
          new Endpoint("GET", "/api/projects/{project}/selection-queue", null, RESEARCH, 200),
          // Gold tasks (marking the fixture's task gold is refused: it was cancelled above, which
          // is past the role check) and contractor quality.
          new Endpoint(
              "PUT",
              "/api/tasks/{task}/gold",
              "{\"better\":\"{random}\",\"worse\":\"{random}\"}",
              RESEARCH,
              409),
          new Endpoint("GET", "/api/tasks/{task}/gold", null, READ, 404),
          new Endpoint("GET", "/api/projects/{project}/gold-tasks", null, READ, 200),
          new Endpoint("PUT", "/api/projects/{project}/gold-rate", "{\"rate\":0}", RESEARCH, 200),
          new Endpoint("GET", "/api/projects/{project}/gold-rate", null, READ, 200),
          new Endpoint("GET", "/api/quality/contractors?project={project}", null, READ, 200),
          new Endpoint("GET", "/api/quality/me?project={project}", null, CONTRACTOR, 204),
          // Members and task caps of a project.
          new Endpoint("GET", "/api/projects/{project}/members", null, READ, 200),
          new Endpoint("PUT", "/api/projects/{project}/members/{member}", null, RESEARCH, 200),
          new Endpoint("DELETE", "/api/projects/{project}/members/{unique}", null, RESEARCH, 404),
          new Endpoint("GET", "/api/projects/{project}/access", null, READ, 200),
          new Endpoint(
              "PATCH", "/api/projects/{project}/access", "{\"dailyTaskCap\":0}", RESEARCH, 200),
          // Label review: the rate, the queue, decisions, the watch list, a contractor's feedback.
          new Endpoint("GET", "/api/projects/{project}/review-rate", null, READ, 200),
          new Endpoint(
              "PUT", "/api/projects/{project}/review-rate", "{\"reviewRate\":0.1}", RESEARCH, 200),
          new Endpoint("GET", "/api/reviews/queue", null, REVIEW, 200),
          new Endpoint("GET", "/api/reviews/labels/{random}", null, REVIEW, 404),
          new Endpoint(
              "POST",
              "/api/reviews",
              "{\"labelId\":\"{random}\",\"decision\":\"ACCEPT\"}",
              REVIEW,
              404),
          new Endpoint("GET", "/api/reviews", null, READ, 200),
          new Endpoint("GET", "/api/watched-contractors", null, READ, 200),
          new Endpoint(
              "PUT", "/api/watched-contractors/{unique}", "{\"reason\":\"why\"}", READ, 404),
          new Endpoint("DELETE", "/api/watched-contractors/{unique}", null, READ, 404),
          new Endpoint("GET", "/api/me/reviews", null, CONTRACTOR, 200),
          new Endpoint("GET", "/api/labels", null, READ, 200),
          new Endpoint("GET", "/api/statistics?project={project}", null, READ, 200),
          new Endpoint("GET", "/api/exports/sft?project={project}", null, RESEARCH, 200),
          new Endpoint("GET", "/api/exports/preferences?project={project}", null, RESEARCH, 200),
          new Endpoint("GET", "/api/exports/ratings?project={project}", null, RESEARCH, 200),
          new Endpoint("GET", "/api/workers", null, READ, 200),
          new Endpoint("GET", "/api/admin/users", null, ADMIN, 200),
          new Endpoint(
              "POST",
              "/api/admin/users",
              "{\"username\":\"{unique}\",\"password\":\"a secret passphrase\",\"roles\":[\"reviewer\"]}",
              ADMIN,
              201),
          new Endpoint(
              "PUT", "/api/admin/users/{target}/roles", "{\"roles\":[\"reviewer\"]}", ADMIN, 200),
          new Endpoint("POST", "/api/admin/users/{target}/deactivate", null, ADMIN, 200),
          new Endpoint("POST", "/api/admin/users/{target}/activate", null, ADMIN, 200),
          new Endpoint("POST", "/api/admin/users/{target}/password-reset", null, ADMIN, 200),
          // The outbox's waiting and parked events.
          new Endpoint("GET", "/api/admin/outbox", null, ADMIN, 200),
          new Endpoint("POST", "/api/admin/outbox/{noEvent}/send-again", null, ADMIN, 404),
          // Training cycles, the model registry and lineage, the arena.
          new Endpoint("GET", "/api/cycles/defaults", null, READ, 200),
          new Endpoint("GET", "/api/cycles", null, READ, 200),
          // An empty stage list is refused (422): the caller got past the role check.
          new Endpoint(
              "POST", "/api/cycles", "{\"projectId\":\"{project}\",\"stages\":[]}", RESEARCH, 422),
          // A DPO cycle takes the same roles; on a project without rankings it is refused (422).
          new Endpoint(
              "POST",
              "/api/cycles",
              "{\"projectId\":\"{project}\",\"stages\":[\"DPO\"],\"baseVersion\":\"sft-1\"}",
              RESEARCH,
              422),
          new Endpoint("GET", "/api/cycles/{random}", null, READ, 404),
          new Endpoint("GET", "/api/cycles/{random}/progress", null, READ, 404),
          new Endpoint("GET", "/api/cycles/{random}/labels", null, READ, 404),
          new Endpoint("POST", "/api/cycles/{random}/cancel", null, RESEARCH, 404),
          new Endpoint("POST", "/api/cycles/{random}/retry", null, RESEARCH, 404),
          // The live stream of a cycle (server-sent events).
          new Endpoint("GET", "/api/cycles/{random}/events", null, READ, 404),
          new Endpoint("GET", "/api/models", null, READ, 200),
          new Endpoint("GET", "/api/models/{unique}", null, READ, 404),
          new Endpoint("GET", "/api/models/{unique}/labels", null, READ, 404),
          new Endpoint("POST", "/api/models/{unique}/promote", "{}", RESEARCH, 404),
          new Endpoint("GET", "/api/labels/{random}/versions", null, READ, 404),
          new Endpoint("GET", "/api/arena/matches", null, READ, 200),
          new Endpoint("GET", "/api/arena/leaderboard", null, READ, 200),
          new Endpoint(
              "POST", "/api/arena/matches", "{\"projectId\":\"{project}\"}", RESEARCH, 422),
          // Misbehavior reports: intake (a report token, not a role), triage, tokens, the chat
          // page.
          new Endpoint("POST", "/api/reports", "{\"category\":\"OTHER\"}", PUBLIC, 401),
          new Endpoint("GET", "/api/reports", null, REVIEW, 200),
          new Endpoint("GET", "/api/reports/summary", null, REVIEW, 200),
          new Endpoint("GET", "/api/reports/{random}", null, REVIEW, 404),
          new Endpoint(
              "POST", "/api/reports/{random}/accept", "{\"projectId\":\"{project}\"}", REVIEW, 404),
          new Endpoint(
              "POST", "/api/reports/{random}/reject", "{\"reason\":\"spam\"}", REVIEW, 404),
          new Endpoint("GET", "/api/admin/report-tokens", null, ADMIN, 200),
          new Endpoint("POST", "/api/admin/report-tokens", "{\"source\":\"{unique}\"}", ADMIN, 201),
          new Endpoint("POST", "/api/admin/report-tokens/{random}/revoke", null, ADMIN, 404),
          // Keys for the model runtime's clients.
          new Endpoint("GET", "/api/admin/runtime-keys", null, ADMIN, 200),
          new Endpoint("POST", "/api/admin/runtime-keys", "{\"name\":\"{unique}\"}", ADMIN, 201),
          new Endpoint("POST", "/api/admin/runtime-keys/{random}/revoke", null, ADMIN, 404),
          // A blank message is refused before the model runtime is asked.
          new Endpoint("POST", "/api/chat/completions", "{\"message\":\" \"}", ANY, 400),
          new Endpoint(
              "POST",
              "/api/chat/reports",
              "{\"answerId\":\"{random}\",\"category\":\"OTHER\"}",
              ANY,
              404));

  private static final List<String> CALLERS =
      List.of(NONE, "contractor", "reviewer", "researcher", "admin");

  static Stream<Arguments> everyEndpointForEveryRole() {
    List<Arguments> cases = new ArrayList<>();
    for (int i = 0; i < ENDPOINTS.size(); i++) {
      for (String caller : CALLERS) {
        for (Transport transport : Transport.values()) {
          if (caller.equals(NONE) && transport == Transport.COOKIE) continue;
          cases.add(Arguments.of(ENDPOINTS.get(i).toString(), i, caller, transport));
        }
      }
    }
    return cases.stream();
  }

  @Test
  @SuppressWarnings("unchecked")
  void shouldHaveARowForEveryEndpointTheApplicationServes() {
    Map<String, Object> paths =
        given().get("/q/openapi?format=json").then().statusCode(200).extract().path("paths");
    Set<String> served = new TreeSet<>();
    paths.forEach(
        (path, operations) -> {
          for (String method : ((Map<String, Object>) operations).keySet()) {
            served.add(method.toUpperCase(Locale.ROOT) + " " + template(path));
          }
        });
    Set<String> listed = new TreeSet<>();
    for (Endpoint e : ENDPOINTS) listed.add(e.method() + " " + template(e.path()));

    assertThat(listed).as("rows of endpoints the application serves").isEqualTo(served);
  }

  /** A path with every parameter written {} and no query, to compare rows with the document. */
  private static String template(String path) {
    return path.replaceAll("\\?.*$", "").replaceAll("\\{[^}]*}", "{}");
  }

  /** Accounts and data the calls refer to, made once. */
  private static final class Fixture {
    static String project;
    static String emptyProject;
    static String prompt;
    static String task;
    static String target;
    static String member;
    static final java.util.Map<String, String> users = new java.util.HashMap<>();
    static final java.util.Map<String, String> cookies = new java.util.HashMap<>();

    static synchronized void ensure() {
      if (project != null) return;
      for (String role : ANY) {
        users.put(role, user(role));
        cookies.put(role, LabelingApi.signIn(users.get(role), LabelingApi.PASSWORD));
      }
      String researcher = users.get("researcher");
      project = project(researcher, 1, 3);
      emptyProject = project(researcher, 1, 3);
      prompt = prompts(researcher, project, "NONE", "fixture").get(0);
      task =
          admin()
              .body("{\"promptId\":\"" + prompt + "\",\"type\":\"DEMONSTRATION\"}")
              .post("/api/projects/" + project + "/tasks")
              .then()
              .statusCode(201)
              .extract()
              .path("id");
      target = user("reviewer");
      member = user("contractor");
    }
  }

  @ParameterizedTest(name = "{0} as {2} by {3}")
  @MethodSource("everyEndpointForEveryRole")
  void shouldAllowEachEndpointOnlyToItsRoles(
      String name, int index, String caller, Transport transport) {
    Fixture.ensure();
    Endpoint endpoint = ENDPOINTS.get(index);
    String path = fill(endpoint.path());
    // The cross-site rules are tested on their own; here every call is one a page or script may
    // make.
    RequestSpecification request = given().header("X-Requested-With", "role-matrix");
    if (transport == Transport.BASIC && !caller.equals(NONE)) {
      request = request.auth().preemptive().basic(Fixture.users.get(caller), LabelingApi.PASSWORD);
    } else if (transport == Transport.COOKIE) {
      // Signing out ends the session: that call gets a session of its own.
      String cookie =
          path.equals("/api/me/logout")
              ? LabelingApi.signIn(Fixture.users.get(caller), LabelingApi.PASSWORD)
              : Fixture.cookies.get(caller);
      request =
          request.cookie(LabelingApi.SESSION_COOKIE, cookie).header("Origin", LabelingApi.origin());
    }
    if (endpoint.body() != null) {
      String body = fill(endpoint.body());
      request = request.contentType(contentType(path));
      // RestAssured encodes a form from text only.
      request =
          path.equals("/j_security_check")
              ? request.body(body)
              : request.body(body.getBytes(StandardCharsets.UTF_8));
    }

    int status = request.request(endpoint.method(), path).statusCode();

    int expected =
        endpoint.allowed().contains(caller) ? endpoint.expected() : caller.equals(NONE) ? 401 : 403;
    assertThat(status).as(endpoint + " as " + caller + " by " + transport).isEqualTo(expected);
  }

  private static String contentType(String path) {
    if (path.contains("/prompts/import")) return "application/x-ndjson";
    if (path.equals("/j_security_check")) return ContentType.URLENC.toString();
    return ContentType.JSON.toString();
  }

  private static String fill(String template) {
    return template
        .replace("{project}", Fixture.project)
        .replace("{empty}", Fixture.emptyProject)
        .replace("{prompt}", Fixture.prompt)
        .replace("{task}", Fixture.task)
        .replace("{target}", Fixture.target)
        .replace("{member}", Fixture.member)
        .replace("{random}", UUID.randomUUID().toString())
        // Outbox events are numbered from 1.
        .replace("{noEvent}", String.valueOf(Long.MAX_VALUE))
        .replace("{unique}", LabelingApi.unique("m"));
  }
}
