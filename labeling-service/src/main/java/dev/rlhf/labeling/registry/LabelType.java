package dev.rlhf.labeling.registry;

/** The two kinds of label a trainer learns from, by the event that announced them. */
public enum LabelType {
  /** A DemonstrationSubmitted event: SFT learns from it. */
  DEMONSTRATION("DemonstrationSubmitted"),
  /** A RankingSubmitted event: the reward model learns from it. */
  RANKING("RankingSubmitted");

  private final String eventType;

  LabelType(String eventType) {
    this.eventType = eventType;
  }

  public static LabelType ofEventType(String eventType) {
    for (LabelType type : values()) if (type.eventType.equals(eventType)) return type;
    return null;
  }
}
