/** The http_get tool and the address checks that keep it to allow-listed, public hosts. */
package io.aard.tool.http;
