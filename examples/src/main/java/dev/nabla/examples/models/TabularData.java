package dev.nabla.examples.models;

import dev.nabla.data.ArrayDataset;
import dev.nabla.data.IndexSplit;
import dev.nabla.data.Splits;
import dev.nabla.data.Standardizer;
import dev.nabla.data.Tabular;
import dev.nabla.train.DataSplits;
import dev.nabla.examples.train.RunConfig;

/**
 * A shipped table (or one in scikit-learn's CSV layout under {@code --data-dir}) cut into stratified
 * train (60%), validation (20%) and test (20%) parts with a fixed seed, and standardized with the
 * mean and standard deviation of the training part alone (no information leaks from the held-out
 * parts).
 */
final class TabularData {
    private TabularData() {}

    /** The standardized splits of table {@code name} ("iris", "breast_cancer", ...). */
    static DataSplits load(String name, RunConfig cfg) {
        ArrayDataset all = cfg.dataDir == null ? Tabular.load(name)
                : Tabular.readSklearnCsv(cfg.dataDir.resolve(name + ".csv"));
        IndexSplit outer = Splits.stratifiedTrainValidation(all.labels(), 0.2, 0);
        ArrayDataset rest = outer.train(all);
        ArrayDataset test = outer.validation(all);
        IndexSplit inner = Splits.stratifiedTrainValidation(rest.labels(), 0.25, 1);
        ArrayDataset train = inner.train(rest);
        ArrayDataset val = inner.validation(rest);
        if (cfg.trainLimit > 0 && cfg.trainLimit < train.size()) {
            train = train.range(0, cfg.trainLimit);
        }
        Standardizer s = Standardizer.fit(train);
        // exported beside the weights (model.safetensors): inputs are (x - mean) / std
        return new DataSplits(s.transform(train), s.transform(val), s.transform(test),
                java.util.Map.of("preprocess.mean", s.mean(), "preprocess.std", s.std()));
    }
}
