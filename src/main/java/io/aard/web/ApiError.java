package io.aard.web;

/**
 * The one error body of the API.
 *
 * @param error what went wrong, in terms a user can act on
 * @param parameter the request parameter or field at fault, or {@code null}
 */
public record ApiError(String error, String parameter) {}
