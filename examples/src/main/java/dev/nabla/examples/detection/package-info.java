/**
 * {@code nabla train shapes-detector}: a tiny anchor-free object detector on synthetic images of
 * rectangles, discs and triangles, evaluated with IoU and VOC mAP@0.5 from
 * {@link dev.nabla.nn.detection}.
 */
package dev.nabla.examples.detection;
