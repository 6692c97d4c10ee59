/**
 * The small example models the trainer runs by name ({@code nabla train <model>}): perceptron and
 * logic gates, spiral, iris, breast cancer and the MNIST MLP, with their data preparation.
 */
package dev.nabla.examples.models;
