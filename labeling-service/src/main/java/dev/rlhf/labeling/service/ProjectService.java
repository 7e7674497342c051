package dev.rlhf.labeling.service;

import dev.rlhf.labeling.config.TaskSettings;
import dev.rlhf.labeling.domain.GuidelineVersion;
import dev.rlhf.labeling.domain.Project;
import dev.rlhf.labeling.domain.Selection;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Projects and their versioned guidelines. */
@ApplicationScoped
public class ProjectService {

  private final TaskSettings settings;
  private final TextLimits texts;

  ProjectService(TaskSettings settings, TextLimits texts) {
    this.settings = settings;
    this.texts = texts;
  }

  /**
   * Creates a project with its first guidelines (version 1). Null overlaps take the defaults, a
   * null selection RANDOM.
   */
  @Transactional
  public Project create(
      String name,
      String description,
      String guidelines,
      Integer demonstrationOverlap,
      Integer rankingOverlap,
      String selection,
      String createdBy) {
    texts.require("name", name);
    texts.require("guidelines", guidelines);
    if (name.length() > 200) throw ApiProblem.invalid("name", "name is longer than 200 chars");
    if (Project.count("name", name) > 0) {
      throw ApiProblem.conflict("name", "a project named '" + name + "' exists");
    }
    Project project = new Project();
    project.id = UUID.randomUUID();
    project.name = name;
    project.description = texts.limit("description", description == null ? "" : description);
    project.demonstrationOverlap =
        overlap("demonstrationOverlap", demonstrationOverlap, settings.demonstrationOverlap());
    project.rankingOverlap = overlap("rankingOverlap", rankingOverlap, settings.rankingOverlap());
    project.selection = selection(selection, Selection.RANDOM);
    project.createdAt = Instant.now();
    project.persist();
    addGuidelines(project.id, guidelines, createdBy);
    return project;
  }

  /**
   * Changes a project's overlaps and selection; null leaves a setting as it is. A new selection
   * orders the ranking tasks made from now on; open tasks keep their place.
   */
  @Transactional
  public Project change(
      UUID projectId, Integer demonstrationOverlap, Integer rankingOverlap, String selection) {
    Project project = find(projectId);
    project.demonstrationOverlap =
        overlap("demonstrationOverlap", demonstrationOverlap, project.demonstrationOverlap);
    project.rankingOverlap = overlap("rankingOverlap", rankingOverlap, project.rankingOverlap);
    project.selection = selection(selection, project.selection);
    return project;
  }

  /** Publishes a new guidelines version; labels made from now on record it. */
  @Transactional
  public GuidelineVersion addGuidelines(UUID projectId, String markdown, String createdBy) {
    find(projectId);
    texts.require("markdown", markdown);
    GuidelineVersion version = new GuidelineVersion();
    version.id = UUID.randomUUID();
    version.projectId = projectId;
    version.version = GuidelineVersion.current(projectId).map(v -> v.version + 1).orElse(1);
    version.markdown = markdown;
    version.createdBy = createdBy;
    version.createdAt = Instant.now();
    version.persist();
    return version;
  }

  public List<Project> list() {
    return Project.listAll(Sort.by("createdAt"));
  }

  public List<GuidelineVersion> guidelines(UUID projectId) {
    find(projectId);
    return GuidelineVersion.list("projectId = ?1 order by version", projectId);
  }

  public GuidelineVersion currentGuidelines(UUID projectId) {
    return GuidelineVersion.current(projectId)
        .orElseThrow(() -> ApiProblem.notFound("guidelines of project " + projectId));
  }

  public Project find(UUID projectId) {
    Project project = projectId == null ? null : Project.findById(projectId);
    if (project == null) throw ApiProblem.notFound("project " + projectId);
    return project;
  }

  private static Selection selection(String value, Selection fallback) {
    if (value == null) return fallback;
    try {
      return Selection.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiProblem.invalid("selection", "selection must be random or uncertainty");
    }
  }

  private static int overlap(String field, Integer value, int fallback) {
    int overlap = value == null ? fallback : value;
    if (overlap < 1 || overlap > 20) throw ApiProblem.invalid(field, field + " must be 1..20");
    return overlap;
  }
}
