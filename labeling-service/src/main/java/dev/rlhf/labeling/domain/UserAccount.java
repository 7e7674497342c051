package dev.rlhf.labeling.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** A person who signs in; the password is stored as a bcrypt hash only. */
@Entity
@Table(name = "app_user")
public class UserAccount extends PanacheEntityBase {

  @Id public UUID id;

  public String username;

  @Column(name = "password_hash")
  public String passwordHash;

  /** Comma-separated role names; see {@link Role}. */
  public String roles;

  /** A deactivated account cannot sign in; its labels stay. */
  public boolean active;

  @Column(name = "created_at")
  public Instant createdAt;

  public Set<Role> roleSet() {
    return Role.split(roles);
  }

  public static Optional<UserAccount> findByUsername(String username) {
    return find("username", username).firstResultOptional();
  }
}
