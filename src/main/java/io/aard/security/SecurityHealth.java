package io.aard.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code security} in {@code /health/ready}: {@code auth=on} with the number of keys per role, or
 * {@code auth=off} when no API key is configured; with keys, how many requests were refused (their
 * spans are not stored). Always UP: an open server still serves, but a probe or an operator can see
 * that it is open.
 */
@Readiness
@ApplicationScoped
public class SecurityHealth implements HealthCheck {

  @Inject ApiKeySettings settings;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("security").up();
    ApiKeys keys = settings.keys();
    if (keys.isEmpty()) {
      return response
          .withData("auth", "off")
          .withData("warning", ApiKeys.CONFIG_KEY + " is not set: the API is open to anyone")
          .build();
    }
    Map<Role, Integer> counts = keys.counts();
    return response
        .withData("auth", "on")
        .withData("reader_keys", counts.get(Role.READER))
        .withData("operator_keys", counts.get(Role.OPERATOR))
        .withData("ingest_keys", counts.get(Role.INGEST))
        .withData("refused_requests", ApiKeyFilter.refusedCount())
        .build();
  }
}
