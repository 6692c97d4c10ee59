/**
 * Optimizers (SGD with momentum, Adam, AdamW, ...), learning-rate schedules, gradient clipping and optimizer checkpoints.
 */
package dev.nabla.optim;
