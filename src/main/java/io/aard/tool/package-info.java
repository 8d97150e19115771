/** The tools agents use in plan steps (calculator, text, http_get, llm) and their registry. */
package io.aard.tool;
