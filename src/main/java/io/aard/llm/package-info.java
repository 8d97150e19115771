/** The language model port and what passes through it. */
package io.aard.llm;
