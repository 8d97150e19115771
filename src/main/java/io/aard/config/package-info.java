/** Checking AARD's configuration at start-up, so that a bad value stops it with a clear line. */
package io.aard.config;
