package dev.rlhf.labeling.membership;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.domain.UserAccount;
import dev.rlhf.labeling.service.ApiProblem;
import dev.rlhf.labeling.service.ProjectService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A project's members, whether only they draw its tasks, and its per-contractor task caps. */
@ApplicationScoped
public class MembershipService {

  /** One member as researchers see them. */
  public record Member(String username, String addedBy, Instant addedAt) {}

  /** A project's access rules; caps are null when there is none. */
  public record AccessView(
      UUID projectId,
      boolean membersOnly,
      Integer hourlyTaskCap,
      Integer dailyTaskCap,
      long members) {}

  /**
   * A change of the rules: each field left out keeps its value; a cap of 0 removes the cap.
   * membersOnly false opens the project to every contractor again.
   */
  public record AccessChange(Boolean membersOnly, Integer hourlyTaskCap, Integer dailyTaskCap) {}

  private static final int MAX_CAP = 100_000;

  private final ProjectService projects;
  private final EntityManager entityManager;

  MembershipService(ProjectService projects, EntityManager entityManager) {
    this.projects = projects;
    this.entityManager = entityManager;
  }

  public AccessView access(UUID projectId) {
    projects.find(projectId);
    return view(ProjectAccess.of(projectId));
  }

  @Transactional
  public AccessView change(UUID projectId, AccessChange change, String by) {
    projects.find(projectId);
    if (change == null) throw ApiProblem.invalid("membersOnly", "a JSON body is required");
    ProjectAccess access = ProjectAccess.of(projectId);
    if (change.membersOnly() != null) access.membersOnly = change.membersOnly();
    if (change.hourlyTaskCap() != null) {
      access.hourlyTaskCap = cap("hourlyTaskCap", change.hourlyTaskCap());
    }
    if (change.dailyTaskCap() != null) {
      access.dailyTaskCap = cap("dailyTaskCap", change.dailyTaskCap());
    }
    save(access, by);
    return view(access);
  }

  public List<Member> members(UUID projectId) {
    projects.find(projectId);
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select u.username, m.added_by, m.added_at from project_member m"
                    + " join app_user u on u.id = m.account_id where m.project_id = ?1"
                    + " order by u.username")
            .setParameter(1, projectId)
            .getResultList();
    List<Member> members = new ArrayList<>();
    for (Object[] row : rows) {
      members.add(
          new Member(
              (String) row[0],
              (String) row[1],
              row[2] instanceof Instant i ? i : ((java.sql.Timestamp) row[2]).toInstant()));
    }
    return members;
  }

  /**
   * Adds a contractor to the project. The first member makes the project members-only: adding
   * people to a project means the others should not draw its tasks.
   */
  @Transactional
  public AccessView add(UUID projectId, String username, String by) {
    projects.find(projectId);
    UserAccount account = contractor(username);
    boolean first = members(projectId).isEmpty();
    int added =
        entityManager
            .createNativeQuery(
                "insert into project_member (project_id, account_id, added_by) values (?1, ?2, ?3)"
                    + " on conflict do nothing")
            .setParameter(1, projectId)
            .setParameter(2, account.id)
            .setParameter(3, by)
            .executeUpdate();
    ProjectAccess access = ProjectAccess.of(projectId);
    if (first && added == 1) {
      access.membersOnly = true;
      save(access, by);
    }
    return view(access);
  }

  /**
   * Takes a member off the project. Their open assignments stay theirs until submitted or expired;
   * removing the last member leaves a members-only project closed, not open to all.
   */
  @Transactional
  public AccessView remove(UUID projectId, String username, String by) {
    projects.find(projectId);
    UserAccount account =
        UserAccount.findByUsername(username)
            .orElseThrow(() -> ApiProblem.notFound("user " + username));
    int removed =
        entityManager
            .createNativeQuery(
                "delete from project_member where project_id = ?1 and account_id = ?2")
            .setParameter(1, projectId)
            .setParameter(2, account.id)
            .executeUpdate();
    if (removed == 0) throw ApiProblem.notFound("member " + username + " of this project");
    return view(ProjectAccess.of(projectId));
  }

  private static UserAccount contractor(String username) {
    UserAccount account =
        username == null ? null : UserAccount.findByUsername(username.trim()).orElse(null);
    if (account == null) throw ApiProblem.invalid("username", "no user named '" + username + "'");
    if (!account.roleSet().contains(Role.CONTRACTOR)) {
      throw ApiProblem.invalid("username", username + " is not a contractor");
    }
    return account;
  }

  private static void save(ProjectAccess access, String by) {
    access.updatedBy = by;
    access.updatedAt = Instant.now();
    if (!access.isPersistent()) access.persist();
  }

  private AccessView view(ProjectAccess access) {
    long members =
        ((Number)
                entityManager
                    .createNativeQuery("select count(*) from project_member where project_id = ?1")
                    .setParameter(1, access.projectId)
                    .getSingleResult())
            .longValue();
    return new AccessView(
        access.projectId, access.membersOnly, access.hourlyTaskCap, access.dailyTaskCap, members);
  }

  private static Integer cap(String field, int value) {
    if (value < 0 || value > MAX_CAP) {
      throw ApiProblem.invalid(field, field + " is 0 (no cap) to " + MAX_CAP);
    }
    return value == 0 ? null : value;
  }
}
