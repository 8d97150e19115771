/** Plans and their steps: making them with a language model and running them with agents. */
package io.aard.plan;
