package io.aard.tool;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Fetches a URL with HTTP GET, only from the hosts in {@code HTTP_TOOL_ALLOWED_HOSTS} (see {@link
 * HostAllowList}); the input is the URL. The output is {@code HTTP <status>}, a newline and the
 * body, at most 1 MiB of it (a longer body is cut and the output says so). Any status is an output,
 * not an error; redirects are reported (with their {@code Location}), never followed, so a redirect
 * cannot lead past the allow-list. Connection failures and timeouts (10 s to connect, 10 s between
 * reads) are errors.
 */
@ApplicationScoped
public class HttpGetTool implements Tool {

  /** The tool's name in plans and spans. */
  public static final String NAME = "http_get";

  /** Most bytes of a response body the output carries. */
  static final int MAX_BODY_BYTES = 1024 * 1024;

  /** Connect and read timeout, each. */
  static final int TIMEOUT_SECONDS = 10;

  // RESTEasy (Liberty's client) does not follow redirects by default; say so explicitly, because
  // following one would bypass the allow-list.
  private static final String RESTEASY_FOLLOW_REDIRECTS = "dev.resteasy.client.follow.redirects";

  private static final Logger LOGGER = Logger.getLogger(HttpGetTool.class.getName());

  @Inject
  @ConfigProperty(name = HostAllowList.CONFIG_KEY)
  Optional<String> allowedHosts;

  private HostAllowList allowList;

  @PostConstruct
  void parseAllowList() {
    allowList = HostAllowList.parse(allowedHosts.orElse(""));
  }

  // Observing start-up creates the bean then, so a malformed allow-list stops the deployment with
  // a message naming the key instead of failing the first step that uses the tool.
  void reportAtStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
    if (allowList.isEmpty()) {
      LOGGER.info("The http_get tool is disabled: " + HostAllowList.CONFIG_KEY + " is empty");
    } else {
      LOGGER.info("The http_get tool may call: " + String.join(", ", allowList.hosts()));
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Fetches a URL with HTTP GET from an allow-listed host; input is the URL, e.g."
        + " 'https://api.example.com/status'.";
  }

  @Override
  public String execute(String input) throws ToolException {
    URI uri = parse(input);
    allowList.check(uri);
    Client client =
        ClientBuilder.newBuilder()
            .connectTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .readTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .property(RESTEASY_FOLLOW_REDIRECTS, Boolean.FALSE)
            .build();
    try (Response response = client.target(uri).request().get()) {
      return render(response);
    } catch (ProcessingException | IOException e) {
      throw failure(uri, e);
    } finally {
      client.close();
    }
  }

  private static URI parse(String input) throws ToolException {
    if (input == null || input.isBlank()) {
      throw new ToolException("the http_get tool needs a URL, e.g. https://example.com/");
    }
    try {
      return new URI(input.strip());
    } catch (URISyntaxException e) {
      throw new ToolException("not a valid URL: " + e.getMessage(), e);
    }
  }

  private static String render(Response response) throws IOException {
    StringBuilder out = new StringBuilder("HTTP ").append(response.getStatus()).append('\n');
    String location = response.getHeaderString(HttpHeaders.LOCATION);
    if (response.getStatusInfo().getFamily() == Response.Status.Family.REDIRECTION
        && location != null) {
      out.append("redirect to ").append(location).append(" (not followed)\n");
    }
    if (!response.hasEntity()) {
      return out.toString();
    }
    byte[] body;
    try (InputStream in = response.readEntity(InputStream.class)) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    boolean truncated = body.length > MAX_BODY_BYTES;
    if (truncated) {
      body = Arrays.copyOf(body, MAX_BODY_BYTES);
    }
    out.append(new String(body, charset(response.getMediaType())));
    if (truncated) {
      out.append("\n[body truncated: only the first ").append(MAX_BODY_BYTES).append(" bytes]");
    }
    return out.toString();
  }

  private static Charset charset(MediaType mediaType) {
    String name =
        mediaType == null ? null : mediaType.getParameters().get(MediaType.CHARSET_PARAMETER);
    if (name != null) {
      try {
        return Charset.forName(name);
      } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
        // An unknown charset is the server's mistake; UTF-8 still shows most of the text.
      }
    }
    return StandardCharsets.UTF_8;
  }

  private static ToolException failure(URI uri, Exception e) {
    String target = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SocketTimeoutException) {
        return new ToolException(
            target + " did not answer within " + TIMEOUT_SECONDS + " s (GET " + uri + ")", e);
      }
      if (cause instanceof UnknownHostException) {
        return new ToolException("unknown host '" + uri.getHost() + "' (GET " + uri + ")", e);
      }
      if (cause instanceof ConnectException) {
        return new ToolException(
            "could not connect to " + target + ": " + cause.getMessage() + " (GET " + uri + ")", e);
      }
      if (cause instanceof SSLException) {
        return new ToolException(
            "TLS with " + target + " failed: " + cause.getMessage() + " (GET " + uri + ")", e);
      }
    }
    return new ToolException("GET " + uri + " failed: " + rootMessage(e), e);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
