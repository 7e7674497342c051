package dev.rlhf.labeling.quality.gold;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the task queue mixes gold tasks in. Each draw rolls a number in [0, 1); a gold task of a
 * project is eligible when the project's gold rate is above the roll, so a project at rate 0.05
 * hands out a gold task in about one draw in twenty (while the contractor has gold tasks of it left
 * to answer). Otherwise the draw takes an ordinary task, never a gold one. The SQL clauses are
 * added to the queue's own query, so gold tasks obey every other rule of the queue.
 */
@ApplicationScoped
public class GoldQueue {

  /**
   * Only gold tasks whose project's rate exceeds the roll. The roll is written into the SQL as a
   * number literal: it is a double this class made, never input, and the queue's positional
   * parameters must stay numbered without gaps.
   */
  public static String goldWithin(double roll) {
    if (!(roll >= 0 && roll < 1)) throw new IllegalArgumentException("roll " + roll);
    return " and exists (select 1 from gold_task g"
        + "   join project_gold_rate gr on gr.project_id = g.project_id"
        + "   where g.task_id = t.id and gr.rate > "
        + Double.toString(roll)
        + ")";
  }

  /** No gold task. */
  public static final String NOT_GOLD =
      " and not exists (select 1 from gold_task g where g.task_id = t.id)";

  /** A uniform roll in [0, 1) for one draw. */
  public double roll() {
    return ThreadLocalRandom.current().nextDouble();
  }
}
