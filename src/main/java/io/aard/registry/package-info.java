/**
 * The registry of agents and tools as the {@code agents}, {@code tools} and {@code agent_tools}
 * tables hold them, read once and served at {@code /api/agents} and {@code /api/tools}.
 */
package io.aard.registry;
