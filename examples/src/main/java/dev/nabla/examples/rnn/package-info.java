/**
 * Recurrent examples: character-level language models and time-series forecasting.
 */
package dev.nabla.examples.rnn;
