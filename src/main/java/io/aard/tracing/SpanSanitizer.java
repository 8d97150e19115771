package io.aard.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a span may hold when it leaves the process: attribute values named in {@code
 * TRACING_REDACT_ATTRIBUTES} become {@value #REDACTED}, and values longer than {@code
 * TRACING_MAX_ATTRIBUTE_LENGTH} chars are cut and marked with {@code "…[truncated N chars]"} and
 * the key listed in {@value #TRUNCATED_KEY}. Applies to span, event and link attributes and to the
 * status description. Immutable and thread-safe; a span that needs no change is returned as is.
 */
public final class SpanSanitizer {

  /** The SDK property that carries {@code TRACING_MAX_ATTRIBUTE_LENGTH}. */
  public static final String MAX_LENGTH_PROPERTY = "otel.aard.attribute.value.length.limit";

  /** The SDK property that carries {@code TRACING_REDACT_ATTRIBUTES}. */
  public static final String REDACT_PROPERTY = "otel.aard.attribute.redact";

  /** Default longest value, in chars (4 KiB of ASCII). */
  public static final int DEFAULT_MAX_LENGTH = 4096;

  /**
   * Names redacted by default. Each also matches its {@code http.request.header.*} and {@code
   * http.response.header.*} attribute, as HTTP instrumentations name captured headers.
   */
  public static final List<String> DEFAULT_REDACTED =
      List.of("authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key");

  /** What a redacted value becomes. */
  public static final String REDACTED = "[REDACTED]";

  /** Lists the keys whose values were cut, on the span, event or link that held them. */
  public static final String TRUNCATED_KEY = "aard.truncated_attributes";

  private static final AttributeKey<List<String>> TRUNCATED =
      AttributeKey.stringArrayKey(TRUNCATED_KEY);
  private static final List<String> HEADER_PREFIXES =
      List.of("", "http.request.header.", "http.response.header.");
  private static final Pattern NAME = Pattern.compile("[a-z0-9._-]+\\*?|\\*");

  private final int maxLength;
  private final List<String> exactNames;
  private final List<String> prefixes;

  private SpanSanitizer(int maxLength, List<String> names) {
    if (maxLength < 1) {
      throw new IllegalArgumentException("maxLength must be above 0: " + maxLength);
    }
    this.maxLength = maxLength;
    List<String> exact = new ArrayList<>();
    List<String> prefix = new ArrayList<>();
    for (String raw : names) {
      String name = normalize(raw);
      if (!isValidName(name)) {
        throw new IllegalArgumentException("not an attribute name: '" + raw + "'");
      }
      if (name.endsWith("*")) {
        prefix.add(name.substring(0, name.length() - 1));
      } else {
        for (String headerPrefix : HEADER_PREFIXES) {
          exact.add(headerPrefix + name);
        }
      }
    }
    this.exactNames = List.copyOf(exact);
    this.prefixes = List.copyOf(prefix);
  }

  /**
   * A sanitizer.
   *
   * @param maxLength longest value kept whole, in chars, above 0
   * @param redactedNames attribute or header names, case-insensitive; a trailing {@code *} matches
   *     every key with that prefix
   */
  public static SpanSanitizer of(int maxLength, List<String> redactedNames) {
    return new SpanSanitizer(maxLength, redactedNames);
  }

  /** The sanitizer the SDK properties describe; defaults for what they leave out. */
  static SpanSanitizer from(ConfigProperties config) {
    int maxLength = config.getInt(MAX_LENGTH_PROPERTY, DEFAULT_MAX_LENGTH);
    List<String> names = config.getList(REDACT_PROPERTY, DEFAULT_REDACTED);
    return of(Math.max(1, maxLength), names.isEmpty() ? DEFAULT_REDACTED : names);
  }

  /** Whether {@code name} (lower case) is acceptable in {@code TRACING_REDACT_ATTRIBUTES}. */
  static boolean isValidName(String name) {
    return NAME.matcher(name).matches();
  }

  /** Whether the value of attribute {@code key} must be hidden. */
  public boolean redacts(String key) {
    String k = normalize(key);
    if (exactNames.contains(k)) {
      return true;
    }
    for (String prefix : prefixes) {
      if (k.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** {@code span}, or a view of it with redacted and truncated values. */
  public SpanData sanitize(SpanData span) {
    Attributes attributes = sanitize(span.getAttributes());
    List<EventData> events = sanitizeEvents(span.getEvents());
    List<LinkData> links = sanitizeLinks(span.getLinks());
    StatusData status = sanitize(span.getStatus());
    if (attributes == null && events == null && links == null && status == null) {
      return span;
    }
    return new SanitizedSpanData(
        span,
        attributes == null ? span.getAttributes() : attributes,
        events == null ? span.getEvents() : events,
        links == null ? span.getLinks() : links,
        status == null ? span.getStatus() : status);
  }

  /** The sanitized attributes, or {@code null} when nothing needs to change. */
  Attributes sanitize(Attributes attributes) {
    if (attributes.isEmpty() || !needsChange(attributes)) {
      return null;
    }
    AttributesBuilder out = Attributes.builder();
    List<String> truncated = new ArrayList<>();
    attributes.forEach(
        (key, value) -> {
          if (key.getKey().equals(TRUNCATED_KEY)) {
            return;
          }
          if (redacts(key.getKey())) {
            putRedacted(out, key);
          } else {
            putTruncated(out, key, value, truncated);
          }
        });
    List<String> previously = attributes.get(TRUNCATED);
    if (previously != null) {
      truncated.addAll(0, previously);
    }
    if (!truncated.isEmpty()) {
      out.put(TRUNCATED, truncated);
    }
    return out.build();
  }

  private boolean needsChange(Attributes attributes) {
    boolean[] change = {false};
    attributes.forEach(
        (key, value) -> {
          if (!change[0] && (redacts(key.getKey()) || tooLong(key, value))) {
            change[0] = true;
          }
        });
    return change[0];
  }

  private boolean tooLong(AttributeKey<?> key, Object value) {
    if (key.getType() == AttributeType.STRING) {
      return ((String) value).length() > maxLength;
    }
    if (key.getType() == AttributeType.STRING_ARRAY) {
      for (Object element : (List<?>) value) {
        if (element != null && ((String) element).length() > maxLength) {
          return true;
        }
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static void putRedacted(AttributesBuilder out, AttributeKey<?> key) {
    if (key.getType() == AttributeType.STRING_ARRAY) {
      out.put((AttributeKey<List<String>>) key, List.of(REDACTED));
    } else {
      // The type changes to a string: a redacted number or flag must not keep its value either.
      out.put(AttributeKey.stringKey(key.getKey()), REDACTED);
    }
  }

  @SuppressWarnings("unchecked")
  private void putTruncated(
      AttributesBuilder out, AttributeKey<?> key, Object value, List<String> truncated) {
    if (key.getType() == AttributeType.STRING) {
      String text = (String) value;
      if (text.length() > maxLength) {
        truncated.add(key.getKey());
        text = truncate(text);
      }
      out.put((AttributeKey<String>) key, text);
    } else if (key.getType() == AttributeType.STRING_ARRAY) {
      List<String> elements = new ArrayList<>();
      boolean cut = false;
      for (Object element : (List<?>) value) {
        String text = (String) element;
        if (text != null && text.length() > maxLength) {
          cut = true;
          text = truncate(text);
        }
        elements.add(text);
      }
      if (cut) {
        truncated.add(key.getKey());
      }
      out.put((AttributeKey<List<String>>) key, elements);
    } else {
      out.put((AttributeKey<Object>) key, value);
    }
  }

  /** The first {@code maxLength} chars (never half a surrogate pair) and the marker. */
  String truncate(String text) {
    int keep = maxLength;
    if (Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--;
    }
    return text.substring(0, keep) + "…[truncated " + (text.length() - keep) + " chars]";
  }

  private List<EventData> sanitizeEvents(List<EventData> events) {
    List<EventData> out = null;
    for (int i = 0; i < events.size(); i++) {
      EventData event = events.get(i);
      Attributes attributes = sanitize(event.getAttributes());
      if (attributes != null) {
        if (out == null) {
          out = new ArrayList<>(events);
        }
        out.set(
            i,
            EventData.create(
                event.getEpochNanos(),
                event.getName(),
                attributes,
                Math.max(event.getTotalAttributeCount(), attributes.size())));
      }
    }
    return out;
  }

  private List<LinkData> sanitizeLinks(List<LinkData> links) {
    List<LinkData> out = null;
    for (int i = 0; i < links.size(); i++) {
      LinkData link = links.get(i);
      Attributes attributes = sanitize(link.getAttributes());
      if (attributes != null) {
        if (out == null) {
          out = new ArrayList<>(links);
        }
        out.set(
            i,
            LinkData.create(
                link.getSpanContext(),
                attributes,
                Math.max(link.getTotalAttributeCount(), attributes.size())));
      }
    }
    return out;
  }

  private StatusData sanitize(StatusData status) {
    String description = status.getDescription();
    if (description == null || description.length() <= maxLength) {
      return null;
    }
    StatusCode code = status.getStatusCode();
    return StatusData.create(code, truncate(description));
  }

  private static String normalize(String name) {
    // Instrumentations differ on '-' or '_' in header attribute names; both mean the same header.
    return name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static final class SanitizedSpanData extends DelegatingSpanData {

    private final Attributes attributes;
    private final List<EventData> events;
    private final List<LinkData> links;
    private final StatusData status;

    SanitizedSpanData(
        SpanData delegate,
        Attributes attributes,
        List<EventData> events,
        List<LinkData> links,
        StatusData status) {
      super(delegate);
      this.attributes = attributes;
      this.events = List.copyOf(events);
      this.links = List.copyOf(links);
      this.status = status;
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }

    @Override
    public int getTotalAttributeCount() {
      return Math.max(super.getTotalAttributeCount(), attributes.size());
    }

    @Override
    public List<EventData> getEvents() {
      return events;
    }

    @Override
    public List<LinkData> getLinks() {
      return links;
    }

    @Override
    public StatusData getStatus() {
      return status;
    }
  }
}
