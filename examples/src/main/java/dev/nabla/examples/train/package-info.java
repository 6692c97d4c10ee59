/**
 * The command line's side of training: the resolved settings of a run ({@code RunConfig}), its
 * context (streams, resume, stop-after), the optimizer names the options accept, and the base of
 * the models trained by {@code nabla train} ({@code SupervisedExample}). The loop itself, its
 * callbacks, checkpoints, metrics and plots are the library's, in {@code dev.nabla.train}.
 */
package dev.nabla.examples.train;
