package dev.rlhf.labeling.workers;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The last heartbeat of one worker process (a trainer or the runtime). */
@Entity
@Table(name = "worker_status")
public class WorkerStatus extends PanacheEntityBase {

  @Id
  @Column(name = "worker_id")
  public String workerId;

  public String service;

  /** "cpu" or the GPU the worker computes on. */
  public String device;

  @Column(name = "started_at")
  public Instant startedAt;

  @Column(name = "last_seen_at")
  public Instant lastSeenAt;
}
