/**
 * Object-detection utilities with torchvision's semantics: box formats and conversions
 * ({@link dev.nabla.nn.detection.Boxes#convert}), box areas, pairwise IoU and generalized IoU,
 * non-maximum suppression ({@link dev.nabla.nn.detection.Nms}), differentiable IoU and GIoU losses
 * ({@link dev.nabla.nn.detection.BoxLosses}), and VOC-style mean average precision
 * ({@link dev.nabla.nn.detection.MeanAveragePrecision}). Boxes are {@code (N, 4)} arrays, in
 * {@code (x1, y1, x2, y2)} pixels unless a {@link dev.nabla.nn.detection.BoxFormat} says otherwise.
 */
package dev.nabla.nn.detection;
