package io.aard.web;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.config.PropertyNamingStrategy;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/**
 * The one JSON-B configuration of the API: {@code snake_case} names, nulls written (so that {@code
 * "next_cursor": null} is visible), and unknown fields rejected should a body ever be bound by
 * JSON-B (task bodies are read by {@link JsonBody}, which names an unknown field itself).
 */
@Provider
public class JsonbContext implements ContextResolver<Jsonb> {

  /** Yasson's switch; JSON-B itself has none. */
  private static final String FAIL_ON_UNKNOWN_PROPERTIES = "jsonb.fail-on-unknown-properties";

  private static final Jsonb JSONB = create();

  /** The shared instance; also used outside JAX-RS, for example to store a plan's analysis. */
  public static Jsonb jsonb() {
    return JSONB;
  }

  private static Jsonb create() {
    return JsonbBuilder.create(
        new JsonbConfig()
            .withPropertyNamingStrategy(PropertyNamingStrategy.LOWER_CASE_WITH_UNDERSCORES)
            .withNullValues(true)
            .setProperty(FAIL_ON_UNKNOWN_PROPERTIES, true));
  }

  @Override
  public Jsonb getContext(Class<?> type) {
    return JSONB;
  }
}
