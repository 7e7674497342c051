package dev.rlhf.labeling.quality;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The quality figures of a project (or of all projects) and of each contractor in it. A figure with
 * no data behind it is null.
 */
public record QualityTable(
    UUID projectId, ProjectQuality project, List<ContractorQuality> contractors, TrustRule rule) {

  /**
   * @param pairwiseAgreement mean over every two rankings of one task (by two contractors) of the
   *     share of completion pairs they order alike
   * @param kendallTau the same mean of Kendall's tau-b
   * @param goldAccuracy of all gold pairs answered, the share met
   * @param ratingAlpha per Likert axis (helpful, truthful, harmless), Krippendorff's ordinal alpha
   *     over the completions rated by two or more contractors
   * @param medianSecondsPerTask over rankings and demonstrations
   */
  public record ProjectQuality(
      int contractors,
      int rankings,
      int goldAnswers,
      int sharedTasks,
      Double pairwiseAgreement,
      Double kendallTau,
      Double goldAccuracy,
      Map<String, Double> ratingAlpha,
      Double medianSecondsPerTask,
      Double reviewAcceptanceRate) {}

  /**
   * One contractor's figures.
   *
   * @param rankings ordinary rankings (gold answers not counted)
   * @param comparisons how many times one of their rankings met a peer's on the same task
   * @param pairwiseAgreement mean agreement with peers over those comparisons
   * @param goldAccuracy share of gold pairs met over their gold answers
   * @param reviewAcceptanceRate from review (null until review provides it)
   * @param trustWeight their weight in consensus under {@code rule}: 1, or graded down by how far
   *     under a threshold they are ({@link TrustRule})
   * @param underThreshold whether a figure is confidently below its threshold, given how many gold
   *     answers or comparisons it rests on
   * @param underThresholdOn which figures are ({@code goldAccuracy}, {@code pairwiseAgreement})
   * @param history by day of the ranking, their count, gold accuracy and agreement
   */
  public record ContractorQuality(
      UUID contractorId,
      String username,
      int rankings,
      int demonstrations,
      int goldAnswers,
      Double goldAccuracy,
      int comparisons,
      Double pairwiseAgreement,
      Double kendallTau,
      Double medianSecondsPerTask,
      Double reviewAcceptanceRate,
      double trustWeight,
      boolean underThreshold,
      List<String> underThresholdOn,
      List<DailyQuality> history) {}

  /** One day of a contractor's work. */
  public record DailyQuality(
      LocalDate day, int rankings, Double goldAccuracy, Double pairwiseAgreement) {}
}
