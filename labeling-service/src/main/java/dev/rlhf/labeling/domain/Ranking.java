package dev.rlhf.labeling.domain;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * A contractor's order of a task's completions, or the verdict that all are bad together with an
 * optional better response, which counts as preferred over every completion.
 */
@Entity
@Table(name = "ranking")
public class Ranking extends SubmittedLabel {

  @Column(name = "all_bad")
  public boolean allBad;

  @Column(name = "better_response")
  public String betterResponse;

  /** The informative preference pairs this ranking gives (events' PreferencePairs). */
  @Column(name = "informative_pairs")
  public int informativePairs;

  @ElementCollection
  @CollectionTable(name = "ranking_entry", joinColumns = @JoinColumn(name = "ranking_id"))
  public List<RankedCompletion> entries = new ArrayList<>();
}
