package dev.rlhf.labeling.service;

import java.time.Instant;
import java.util.UUID;

/** What a submission answers; a repeat with the same Idempotency-Key gets the same receipt. */
public record SubmissionReceipt(
    UUID labelId, String kind, UUID assignmentId, UUID taskId, Instant submittedAt) {}
