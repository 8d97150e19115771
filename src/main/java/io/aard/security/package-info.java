/** Who may call the API (API keys and their roles) and how much a request may carry. */
package io.aard.security;
