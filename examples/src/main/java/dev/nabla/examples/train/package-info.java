/**
 * The training loop, run directories, checkpoints, metrics and plots used by the examples.
 */
package dev.nabla.examples.train;
