/**
 * Studies that compare training choices side by side with plots: initialization, optimizers,
 * batch normalization, dropout, moving averages and a hyperparameter search.
 */
package dev.nabla.examples.studies;
