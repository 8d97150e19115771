/** The registry of agents and the tools each may use. */
package io.aard.agent;
