/** The {@code ollama} language model provider: AARD's plans and answers from an Ollama server. */
package io.aard.llm.ollama;
