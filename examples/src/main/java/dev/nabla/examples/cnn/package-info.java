/**
 * Convolutional examples (LeNet on MNIST) and their visualizations.
 */
package dev.nabla.examples.cnn;
