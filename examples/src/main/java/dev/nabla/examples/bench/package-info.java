/**
 * The {@code nabla bench} workloads (W1-W6) and their measurement, one JSON line per figure.
 */
package dev.nabla.examples.bench;
