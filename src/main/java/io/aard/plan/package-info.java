/**
 * Plans and their steps: making them with a language model (including {@code POST
 * /api/tasks/{task_id}/plan}) and running them with agents.
 */
package io.aard.plan;
