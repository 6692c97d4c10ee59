/**
 * Training as a library: {@link dev.nabla.train.Trainer} runs epochs of mini-batches of a model a
 * program builds itself, and everything around the loop is a {@link dev.nabla.train.Callback} —
 * progress bar and epoch summaries ({@link dev.nabla.train.ProgressCallback}), the metrics logs
 * ({@link dev.nabla.train.MetricsLogCallback}: {@code metrics.jsonl}/{@code .csv} per epoch,
 * {@code metrics_steps.jsonl}/{@code .csv} per step), checkpoints
 * ({@link dev.nabla.train.CheckpointCallback}, {@link dev.nabla.train.Checkpoints}), plots
 * ({@link dev.nabla.train.PlotCallback}, {@link dev.nabla.train.Plots}), the learning-rate
 * schedule, gradient clipping and early stopping. A user adds their own callback or
 * {@link dev.nabla.train.Metric} without forking the loop. TensorBoard event files are in
 * {@link dev.nabla.train.tensorboard}.
 */
package dev.nabla.train;
