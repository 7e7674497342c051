package dev.rlhf.labeling.quality.gold;

import java.util.List;
import java.util.UUID;

/**
 * A gold task's known answer, one of three forms. For a ranking task: {@code order}, groups of
 * completion ids from best to worst (a group of several is a tie), as a contractor ranks; or one
 * required pair, {@code better} over {@code worse}, when only that much is certain. For a
 * demonstration task: {@code checklist}, short statements a good response meets, which a reviewer
 * scores for each contractor's answer.
 */
public record GoldAnswer(List<List<UUID>> order, UUID better, UUID worse, List<String> checklist) {}
