/** AARD's PostgreSQL database: creating it, migrating it, and telling whether it is reachable. */
package io.aard.db;
