/** AARD: a traced AI-agent platform; this package holds only the REST application root. */
package io.aard;
