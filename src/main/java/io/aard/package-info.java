/**
 * AARD, a traced AI-agent platform: the REST application root and what every feature shares (the
 * domain failures a client is told of, configuration look-up, one-line failure messages).
 */
package io.aard;
