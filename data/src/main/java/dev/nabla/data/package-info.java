/**
 * Data sets and their loading: readers for IDX (MNIST), CSV and scikit-learn tables, character corpora and time series, datasets, splits, standardization, augmentation and a batching {@link dev.nabla.data.DataLoader}. Readers treat files as untrusted and fail with {@link dev.nabla.data.MalformedDataException}.
 */
package dev.nabla.data;
