/**
 * The tools agents use in plan steps (calculator, text, llm; http_get in {@code tool.http}), as CDI
 * beans found by name.
 */
package io.aard.tool;
