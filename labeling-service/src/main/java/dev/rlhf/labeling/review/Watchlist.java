package dev.rlhf.labeling.review;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.domain.UserAccount;
import dev.rlhf.labeling.service.ApiProblem;
import dev.rlhf.labeling.service.TextLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Contractors under watch: every label they make (and made) goes to review. */
@ApplicationScoped
public class Watchlist {

  /** A contractor under watch, why, and since when. */
  public record Watched(String username, String reason, String watchedBy, Instant watchedAt) {}

  private final EntityManager entityManager;
  private final TextLimits texts;

  Watchlist(EntityManager entityManager, TextLimits texts) {
    this.entityManager = entityManager;
    this.texts = texts;
  }

  public List<Watched> list() {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select u.username, w.reason, w.watched_by, w.watched_at from watched_contractor w"
                    + " join app_user u on u.id = w.account_id order by w.watched_at, u.username")
            .getResultList();
    List<Watched> out = new ArrayList<>();
    for (Object[] row : rows) {
      out.add(
          new Watched((String) row[0], (String) row[1], (String) row[2], Times.instant(row[3])));
    }
    return out;
  }

  /** Puts a contractor under watch (again: the reason is updated). */
  @Transactional
  public Watched watch(String username, String reason, String by) {
    UserAccount account =
        UserAccount.findByUsername(username == null ? "" : username)
            .orElseThrow(() -> ApiProblem.notFound("user " + username));
    if (!account.roleSet().contains(Role.CONTRACTOR)) {
      throw ApiProblem.invalid("username", username + " is not a contractor");
    }
    String why = texts.require("reason", reason);
    entityManager
        .createNativeQuery(
            "insert into watched_contractor (account_id, reason, watched_by) values (?1, ?2, ?3)"
                + " on conflict (account_id) do update set reason = excluded.reason,"
                + " watched_by = excluded.watched_by")
        .setParameter(1, account.id)
        .setParameter(2, why)
        .setParameter(3, by)
        .executeUpdate();
    return list().stream().filter(w -> w.username().equals(username)).findFirst().orElseThrow();
  }

  @Transactional
  public void unwatch(String username) {
    int removed =
        entityManager
            .createNativeQuery(
                "delete from watched_contractor where account_id ="
                    + " (select id from app_user where username = ?1)")
            .setParameter(1, username)
            .executeUpdate();
    if (removed == 0) throw ApiProblem.notFound("watched contractor " + username);
  }
}
