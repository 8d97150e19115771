/** What every HTTP exchange shares: the JSON mapping, the error shape and the trace headers. */
package io.aard.web;
