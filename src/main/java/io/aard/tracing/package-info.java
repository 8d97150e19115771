/** How AARD's spans are made, stamped with the work's ids, configured and exported. */
package io.aard.tracing;
