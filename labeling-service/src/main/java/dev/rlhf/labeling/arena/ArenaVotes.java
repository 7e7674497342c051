package dev.rlhf.labeling.arena;

/**
 * Blind arena votes are rankings of the arena's comparison tasks. They rank versions for the
 * leaderboard; exports and training snapshots leave them out unless a researcher asks for them.
 */
public final class ArenaVotes {

  private ArenaVotes() {}

  /** A condition (starting with " and") that the ranking aliased {@code ranking} is no vote. */
  public static String excluded(String ranking) {
    return " and not exists (select 1 from arena_match am where am.task_id = "
        + ranking
        + ".task_id)";
  }
}
