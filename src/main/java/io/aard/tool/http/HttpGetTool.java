package io.aard.tool.http;

import io.aard.Failures;
import io.aard.tool.Tool;
import io.aard.tool.ToolException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Fetches a URL with HTTP GET, only from the hosts in {@code HTTP_TOOL_ALLOWED_HOSTS} and only at
 * addresses that {@link HostAllowList} accepts; the input is the URL. The output is {@code HTTP
 * <status>}, a {@code redirected to <url>} line when redirects were followed, a newline and the
 * body, at most 1 MiB of it (a longer body is cut and the output says so). Any final status is an
 * output, not an error.
 *
 * <p>What keeps it from reaching what it should not:
 *
 * <ul>
 *   <li>The name is resolved once and every address checked; a plain-http request then goes to the
 *       checked address itself (the URL's host replaced by the IP, the name sent as {@code Host}),
 *       so that DNS cannot answer differently between check and connect. An https request connects
 *       by name, because TLS must verify the certificate against it: a different answer then could
 *       only reach a server holding a valid certificate for the allowed name, and the JVM's DNS
 *       cache (30 s by default) normally returns the checked answer anyway.
 *   <li>Redirects (301, 302, 303, 307, 308) are followed by hand, at most {@value #MAX_REDIRECTS},
 *       each new URL checked like the first; one that leads off the list is an error.
 *   <li>10 s to connect, 10 s between reads, and {@value #DEADLINE_SECONDS} s for the whole fetch,
 *       redirects included.
 * </ul>
 */
@ApplicationScoped
public class HttpGetTool implements Tool {

  /** The tool's name in plans and spans. */
  public static final String NAME = "http_get";

  /** Most bytes of a response body the output carries. */
  static final int MAX_BODY_BYTES = 1024 * 1024;

  /** Connect and read timeout, each. */
  static final int TIMEOUT_SECONDS = 10;

  /** The whole fetch, redirects included. */
  static final int DEADLINE_SECONDS = 30;

  /** Most redirects followed. */
  static final int MAX_REDIRECTS = 5;

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  // RESTEasy (Liberty's client) does not follow redirects by default; say so explicitly, because
  // only the tool's own loop checks each hop against the allow-list.
  private static final String RESTEASY_FOLLOW_REDIRECTS = "dev.resteasy.client.follow.redirects";

  private static final Logger LOGGER = Logger.getLogger(HttpGetTool.class.getName());

  @Inject
  @ConfigProperty(name = HostAllowList.CONFIG_KEY)
  Optional<String> allowedHosts;

  @Inject
  @ConfigProperty(name = HostAllowList.ALLOW_PRIVATE_KEY)
  Optional<String> allowPrivate;

  private HostAllowList allowList;

  /**
   * Checks {@code HTTP_TOOL_ALLOWED_HOSTS} and {@code HTTP_TOOL_ALLOW_PRIVATE} as read through
   * {@code lookup}, for the start-up check.
   *
   * @throws IllegalArgumentException naming the key, the value and what is accepted
   */
  public static void checkSettings(Function<String, String> lookup) {
    String hosts = lookup.apply(HostAllowList.CONFIG_KEY);
    HostAllowList.parse(hosts == null ? "" : hosts, lookup.apply(HostAllowList.ALLOW_PRIVATE_KEY));
  }

  @PostConstruct
  void parseAllowList() {
    allowList = HostAllowList.parse(allowedHosts.orElse(""), allowPrivate.orElse(null));
  }

  // Observing start-up creates the bean then, so a malformed allow-list stops the deployment with
  // a message naming the key instead of failing the first step that uses the tool.
  void reportAtStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
    if (allowList.isEmpty()) {
      LOGGER.info("The http_get tool is disabled: " + HostAllowList.CONFIG_KEY + " is empty");
    } else {
      LOGGER.info(
          "The http_get tool may call: "
              + String.join(", ", allowList.hosts())
              + (allowList.allowsPrivate()
                  ? " (" + HostAllowList.ALLOW_PRIVATE_KEY + "=true: also at private addresses)"
                  : ""));
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
    return fetch(
        parse(input),
        allowList,
        InetAddress::getAllByName,
        HttpGetTool::exchange,
        Deadline.in(Duration.ofSeconds(DEADLINE_SECONDS)));
  }

  /** One GET at a checked address, without following redirects. */
  interface Exchange {
    Answer get(HostAllowList.Target target, Deadline deadline) throws ToolException;
  }

  /**
   * What one GET answered.
   *
   * @param status the HTTP status
   * @param location the {@code Location} header, or {@code null}
   * @param body the body as text, at most {@value #MAX_BODY_BYTES} bytes of it
   * @param truncated whether the body was longer
   */
  record Answer(int status, String location, String body, boolean truncated) {}

  /** The fetch with its redirect policy; the network is behind {@code exchange}. */
  static String fetch(
      URI start,
      HostAllowList allowList,
      HostAllowList.Resolver resolver,
      Exchange exchange,
      Deadline deadline)
      throws ToolException {
    URI uri = start;
    for (int redirects = 0; ; redirects++) {
      deadline.check(start);
      HostAllowList.Target target;
      try {
        target = allowList.resolve(uri, resolver);
      } catch (ToolException e) {
        if (redirects == 0) {
          throw e;
        }
        throw new ToolException("redirect to " + uri + " refused: " + e.getMessage(), e);
      }
      Answer answer = exchange.get(target, deadline);
      if (!REDIRECTS.contains(answer.status()) || answer.location() == null) {
        return render(answer, redirects == 0 ? null : uri);
      }
      if (redirects == MAX_REDIRECTS) {
        throw new ToolException(
            "GET " + start + " redirected more than " + MAX_REDIRECTS + " times; last to " + uri);
      }
      uri = redirectTarget(uri, answer.location());
    }
  }

  /** Where a {@code Location} header leads from {@code current}, relative ones resolved. */
  static URI redirectTarget(URI current, String location) throws ToolException {
    try {
      URI resolved = current.resolve(new URI(location.strip()));
      // The fragment is the client's own; it is never sent.
      return new URI(
              resolved.getScheme(),
              resolved.getRawAuthority(),
              resolved.getRawPath(),
              resolved.getRawQuery(),
              null)
          .normalize();
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new ToolException(
          "GET " + current + " redirected to an invalid URL: '" + location + "'", e);
    }
  }

  /**
   * Where to connect for {@code target}: for plain http the checked address itself, for https the
   * URL as it is (see the class comment).
   */
  static URI connectUri(HostAllowList.Target target) {
    URI uri = target.uri();
    if (!"http".equalsIgnoreCase(uri.getScheme()) || isLiteral(uri)) {
      return uri;
    }
    InetAddress address = target.address();
    String host =
        address instanceof Inet6Address
            ? "[" + address.getHostAddress().replace("%", "%25") + "]"
            : address.getHostAddress();
    StringBuilder pinned = new StringBuilder("http://").append(host);
    if (uri.getPort() >= 0) {
      pinned.append(':').append(uri.getPort());
    }
    pinned.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
    if (uri.getRawQuery() != null) {
      pinned.append('?').append(uri.getRawQuery());
    }
    return URI.create(pinned.toString());
  }

  /** The {@code Host} header a pinned request must carry, or {@code null} when it is not pinned. */
  static String hostHeader(HostAllowList.Target target) {
    URI uri = target.uri();
    if (!"http".equalsIgnoreCase(uri.getScheme()) || isLiteral(uri)) {
      return null;
    }
    return uri.getPort() >= 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
  }

  private static boolean isLiteral(URI uri) {
    String host = uri.getHost();
    return host.startsWith("[") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
  }

  private static Answer exchange(HostAllowList.Target target, Deadline deadline)
      throws ToolException {
    URI uri = target.uri();
    long timeout = deadline.timeoutMillis(uri, TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    Client client =
        ClientBuilder.newBuilder()
            .connectTimeout(timeout, TimeUnit.MILLISECONDS)
            .readTimeout(timeout, TimeUnit.MILLISECONDS)
            .property(RESTEASY_FOLLOW_REDIRECTS, Boolean.FALSE)
            .build();
    try {
      Invocation.Builder request = client.target(connectUri(target)).request();
      String host = hostHeader(target);
      if (host != null) {
        request.header(HttpHeaders.HOST, host);
      }
      try (Response response = request.get()) {
        return read(response, uri, deadline);
      }
    } catch (ProcessingException | IOException e) {
      throw failure(uri, e);
    } finally {
      client.close();
    }
  }

  private static Answer read(Response response, URI uri, Deadline deadline)
      throws IOException, ToolException {
    String location = response.getHeaderString(HttpHeaders.LOCATION);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    // Not hasEntity(): RESTEasy answers false for a body without Content-Type.
    try (InputStream in = bodyOf(response)) {
      if (in == null) {
        return new Answer(response.getStatus(), location, "", false);
      }
      int n;
      while (body.size() <= MAX_BODY_BYTES
          && (n = in.read(chunk, 0, Math.min(chunk.length, MAX_BODY_BYTES + 1 - body.size())))
              >= 0) {
        body.write(chunk, 0, n);
        deadline.check(uri);
      }
    }
    byte[] bytes = body.toByteArray();
    boolean truncated = bytes.length > MAX_BODY_BYTES;
    int length = truncated ? MAX_BODY_BYTES : bytes.length;
    return new Answer(
        response.getStatus(),
        location,
        new String(bytes, 0, length, charset(response.getMediaType())),
        truncated);
  }

  private static InputStream bodyOf(Response response) {
    try {
      return response.readEntity(InputStream.class);
    } catch (IllegalStateException e) {
      return null; // no body at all
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

  private static String render(Answer answer, URI redirectedTo) {
    StringBuilder out = new StringBuilder("HTTP ").append(answer.status()).append('\n');
    if (redirectedTo != null) {
      out.append("redirected to ").append(redirectedTo).append('\n');
    }
    if (answer.status() / 100 == 3 && answer.location() != null) {
      out.append("redirect to ").append(answer.location()).append(" (not followed)\n");
    }
    out.append(answer.body());
    if (answer.truncated()) {
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
    return new ToolException("GET " + uri + " failed: " + Failures.rootMessage(e), e);
  }
}
