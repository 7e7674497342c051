package dev.rlhf.labeling.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.UUID;

/** The ideal response a contractor wrote, possibly by editing a completion. */
@Entity
@Table(name = "demonstration")
public class Demonstration extends SubmittedLabel {

  public String response;

  @Column(name = "edited_from_completion_id")
  public UUID editedFromCompletionId;
}
