/** JMH benchmarks; see benchmarks/run and docs/benchmarks.md. */
package dev.nanolab.benchmarks;
