/**
 * TensorBoard event files, written and read without TensorFlow or protobuf: {@link
 * dev.nabla.train.tensorboard.EventWriter} logs scalars, histograms, images, text and
 * hyperparameters the way PyTorch's {@code SummaryWriter} does, and {@link
 * dev.nabla.train.tensorboard.EventReader} reads any event file back, checking every record's
 * CRCs.
 *
 * <pre>{@code
 * try (EventWriter tb = EventWriter.open(Path.of("runs/mnist"))) {
 *     for (int step = 0; step < steps; step++) {
 *         tb.addScalar("train/loss", loss, step);
 *     }
 *     tb.addHistogram("fc1/weight", fc1.weight().data(), steps);
 * }
 * // then: tensorboard --logdir runs
 * }</pre>
 *
 * <p>The format: TFRecord framing (a little-endian u64 length, its masked CRC-32C, the payload,
 * the payload's masked CRC-32C) around {@code Event} protocol buffers, the first of which carries
 * {@code file_version: "brain.Event:2"}. The protocol-buffer encoder and decoder are a few hundred
 * lines here ({@code ProtoWriter}, {@code ProtoReader}) for the handful of messages TensorBoard needs.
 */
package dev.nabla.train.tensorboard;
