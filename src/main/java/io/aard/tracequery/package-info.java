/**
 * How traces are read (the read side): the trace query API, searching traces, reading a trace as a
 * span tree or a flat list, and span statistics, answered with hand-written SQL over {@code
 * execution_traces}.
 */
package io.aard.tracequery;
