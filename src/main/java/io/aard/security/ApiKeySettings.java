package io.aard.security;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The API keys, read once from {@value ApiKeys#CONFIG_KEY} (a malformed value has already stopped
 * start-up: the start-up check runs {@link ApiKeys#parse} before any bean reads it). Says at every
 * start whether the API is protected, at WARNING when it is open.
 */
@ApplicationScoped
public class ApiKeySettings {

  private static final Logger LOG = Logger.getLogger(ApiKeySettings.class.getName());

  @Inject
  @ConfigProperty(name = ApiKeys.CONFIG_KEY)
  Optional<String> configured;

  private ApiKeys keys;

  @PostConstruct
  void read() {
    keys = ApiKeys.parse(configured.orElse(null));
  }

  void reportAtStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
    if (keys.isEmpty()) {
      LOG.warning(
          "AARD is open: "
              + ApiKeys.CONFIG_KEY
              + " is not set, so anyone who can reach this server may read, create, plan and"
              + " execute. Set it (e.g. reader:<key>,operator:<key>) for anything but local"
              + " development.");
    } else {
      Map<Role, Integer> counts = keys.counts();
      LOG.info(
          "API keys are required under /api: "
              + counts.get(Role.READER)
              + " reader key(s), "
              + counts.get(Role.OPERATOR)
              + " operator key(s), "
              + counts.get(Role.INGEST)
              + " ingest key(s) (POST /v1/traces)");
    }
  }

  /** The configured keys; empty when AARD is open. */
  public ApiKeys keys() {
    return keys;
  }
}
