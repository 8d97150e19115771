# AARD on the official Open Liberty image. Build the WAR first: mvn -B package -DskipTests
FROM icr.io/appcafe/open-liberty:full-java17-openj9-ubi-minimal

COPY --chown=1001:0 server-config/server.xml server-config/jvm.options server-config/bootstrap.properties /config/
COPY --chown=1001:0 target/jdbc/postgresql.jar /config/jdbc/postgresql.jar
COPY --chown=1001:0 target/aard.war /config/apps/aard.war

# HTTP_HOST=* listens on every interface, so AARD refuses to start without AARD_API_KEYS
# (reader:<key>,operator:<key>) unless AARD_ALLOW_OPEN=true says an open API is wanted.
ENV AARD_DB_HOST=postgres \
    AARD_DB_EMBEDDED=false \
    TRACING_EXPORTER=database \
    HTTP_HOST=*

EXPOSE 9080

# Installs any feature the full image lacks and warms the shared class cache.
RUN configure.sh
