/** Tasks: what a user asks the platform to do, and where its plans stand. */
package io.aard.task;
