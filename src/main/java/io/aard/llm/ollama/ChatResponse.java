package io.aard.llm.ollama;

/**
 * What Ollama's {@code /api/chat} answered, reduced to what AARD uses.
 *
 * @param model the model that answered ({@code gen_ai.response.model})
 * @param content the assistant message's text
 * @param promptEvalCount tokens in the prompt ({@code gen_ai.usage.input_tokens}); 0 when Ollama
 *     omits it, as it does when the whole prompt was cached
 * @param evalCount tokens generated ({@code gen_ai.usage.output_tokens})
 */
record ChatResponse(String model, String content, long promptEvalCount, long evalCount) {}
