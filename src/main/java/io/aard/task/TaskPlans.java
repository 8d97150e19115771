package io.aard.task;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The ids of a task's plans, which a task view shows. Plans are the plan feature's to store, and it
 * depends on tasks, so tasks ask through this port and {@code plan} implements it: task never
 * imports plan.
 */
public interface TaskPlans {

  /** The ids of the task's plans, oldest first; empty for a task without plans. */
  List<UUID> planIds(UUID taskId);

  /**
   * The ids of each listed task's plans, oldest first, in one query; tasks without plans absent.
   */
  Map<UUID, List<UUID>> planIds(Collection<UUID> taskIds);
}
