package io.aard.pricing;

import io.aard.web.ApiException;
import io.aard.web.JsonBody;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * {@code /api/prices}: the price table of models that spans are priced with (docs/api.md §9).
 * Reading it takes a reader's key, changing it an operator's (the API key filter checks the
 * method). A change prices the spans stored from then on, on every instance within a minute; a
 * stored span keeps its cost.
 */
@Path("prices")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class PriceResource {

  @Inject Prices prices;

  /** The body of {@code GET /api/prices}. */
  public record PriceList(List<PriceView> prices) {}

  /**
   * One row as the API shows it; {@code pattern} says whether {@code model} ends with {@code *}.
   */
  public record PriceView(
      String model,
      boolean pattern,
      BigDecimal inputPerMillion,
      BigDecimal outputPerMillion,
      BigDecimal cachedInputPerMillion,
      String source,
      Instant updatedAt) {

    static PriceView of(ModelPrice p) {
      return new PriceView(
          p.model(),
          p.isPattern(),
          p.inputPerMillion(),
          p.outputPerMillion(),
          p.cachedInputPerMillion(),
          p.source(),
          p.updatedAt());
    }
  }

  @GET
  public PriceList list() {
    try {
      return new PriceList(prices.list().stream().map(PriceView::of).toList());
    } catch (SQLException e) {
      throw new IllegalStateException("reading the price table failed", e);
    }
  }

  /**
   * Sets the price of a model or pattern: 201 with the row when it is new, 200 when it replaced
   * one. The path takes any name, slashes included ({@code meta-llama/Llama-3.3-70B*}).
   */
  @PUT
  @Path("{model: .+}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response put(@PathParam("model") String rawModel, InputStream json) {
    String model = PriceInput.model(rawModel);
    PriceInput input = PriceInput.from(JsonBody.object(json, PriceInput.EXAMPLE));
    try {
      PriceStore.Written written = prices.put(model, input);
      return Response.status(written.created() ? 201 : 200)
          .entity(PriceView.of(written.price()))
          .build();
    } catch (SQLException e) {
      throw new IllegalStateException("writing the price of " + model + " failed", e);
    }
  }

  /** Removes a model's row: 204, or 404 when it has none. */
  @DELETE
  @Path("{model: .+}")
  public Response delete(@PathParam("model") String rawModel) {
    String model = PriceInput.model(rawModel);
    try {
      if (!prices.delete(model)) {
        throw ApiException.notFound("no price for " + model);
      }
      return Response.noContent().build();
    } catch (SQLException e) {
      throw new IllegalStateException("deleting the price of " + model + " failed", e);
    }
  }
}
