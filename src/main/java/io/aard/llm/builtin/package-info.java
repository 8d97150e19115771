/**
 * The {@code builtin} language model provider: deterministic rules instead of a model, for offline
 * use, demos and benchmarks.
 */
package io.aard.llm.builtin;
