package io.aard;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API of AARD, under {@code /api}. */
@ApplicationPath("/api")
public class AardApplication extends Application {}
