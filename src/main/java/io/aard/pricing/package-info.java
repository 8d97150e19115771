/**
 * What model calls cost: the price table of models ({@code model_prices}, {@code /api/prices}),
 * kept in memory for the span writers, and the exact decimal arithmetic of a call's cost.
 */
package io.aard.pricing;
