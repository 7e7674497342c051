package dev.rlhf.labeling.service;

/**
 * Ratings as label rows: each with the project, task, prompt and guideline version of the
 * assignment it was made in and the completion it judges, under the column names {@link
 * LabelFilter#where} filters on, so the data browser and the export read ratings the same way (the
 * statistics' rating figures are kept by V83's triggers, which find a rating's project the same
 * way).
 */
final class RatingRows {

  /** A subquery; alias it. */
  static final String SQL =
      "(select cr.id, t.project_id, a.task_id, t.prompt_id, cr.contractor_id,"
          + " a.guideline_version, cr.created_at, cr.completion_id, c.text as completion_text,"
          + " c.policy_version, cr.helpful, cr.truthful, cr.harmless, cr.flags"
          + " from completion_rating cr join assignment a on a.id = cr.assignment_id"
          + " join task t on t.id = a.task_id join completion c on c.id = cr.completion_id)";

  private RatingRows() {}
}
