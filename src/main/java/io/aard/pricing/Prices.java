package io.aard.pricing;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The price table, kept in memory: the span writers price every model span they store, and a query
 * per span would cost the ingest path a round trip each. The table is read at start-up, again after
 * every change made through this instance, and every {@value #REFRESH_SECONDS} seconds, so that a
 * change made through another instance applies here within a minute.
 *
 * <p>A change applies to the spans stored from then on; a stored span keeps the cost it was stored
 * with.
 */
@ApplicationScoped
public class Prices {

  private static final Logger LOG = Logger.getLogger(Prices.class.getName());

  /** How often the table is read again, for changes made through other instances. */
  static final long REFRESH_SECONDS = 30;

  /** What {@code PUT /api/prices/{model}} stores as the row's {@code source}. */
  static final String API_SOURCE = "api";

  @Resource(lookup = "jdbc/aard")
  DataSource dataSource;

  @Resource ManagedScheduledExecutorService scheduler;

  private final AtomicReference<PriceTable> current = new AtomicReference<>(PriceTable.EMPTY);
  private PriceStore store;
  private ScheduledFuture<?> schedule;
  private volatile boolean warned;

  @PostConstruct
  void connect() {
    store = new PriceStore(dataSource);
  }

  // After DatabaseBootstrap (default priority), which migrates; before SpanWriter (3000).
  void start(@Observes @Priority(2900) @Initialized(ApplicationScoped.class) Object ignored) {
    refreshQuietly();
    schedule =
        scheduler.scheduleWithFixedDelay(
            this::refreshQuietly, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
  }

  void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object ignored) {
    if (schedule != null) {
      schedule.cancel(false);
    }
  }

  /** The table as last read. */
  public PriceTable table() {
    return current.get();
  }

  /**
   * The table as last read, for a caller outside every container context (the span exporter's
   * threads): a plain read of this bean's reference, no CDI proxy in between.
   */
  public Supplier<PriceTable> source() {
    AtomicReference<PriceTable> table = current;
    return table::get;
  }

  /** Every row, as stored now. */
  List<ModelPrice> list() throws SQLException {
    return store.all();
  }

  /** Sets a model's price; from now on it prices the spans this instance stores. */
  PriceStore.Written put(String model, PriceInput input) throws SQLException {
    PriceStore.Written written = store.put(model, input, API_SOURCE);
    refresh();
    return written;
  }

  /** Removes a model's row; {@code false} when it had none. */
  boolean delete(String model) throws SQLException {
    boolean deleted = store.delete(model);
    refresh();
    return deleted;
  }

  private void refresh() throws SQLException {
    current.set(PriceTable.of(store.all()));
  }

  /** Never throws: a failed read keeps the last table, and is said once until a read works. */
  private void refreshQuietly() {
    try {
      refresh();
      if (warned) {
        LOG.info("The price table is read again: " + table().all().size() + " prices");
        warned = false;
      }
    } catch (SQLException | RuntimeException e) {
      if (!warned) {
        warned = true;
        LOG.warning(
            "The price table (model_prices) could not be read; spans are priced with the last"
                + " table read ("
                + table().all().size()
                + " prices) until it can: "
                + e);
      }
    }
  }
}
