package dev.nabla.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded train/validation splits and K-fold cross-validation, plain or stratified (every class
 * keeps its proportion in each part, as scikit-learn's {@code StratifiedShuffleSplit} and
 * {@code StratifiedKFold}). The same seed gives the same partition.
 * Stateless and thread-safe.
 */
public final class Splits {
    private static final long SPLIT_STREAM = 11;
    private static final long KFOLD_STREAM = 12;

    private Splits() {
    }

    /**
     * A random split of {@code 0..n-1} with {@code round(n * validationFraction)} positions in the
     * validation part. Both parts must be non-empty.
     */
    public static IndexSplit trainValidation(int n, double validationFraction, long seed) {
        int v = validationCount("trainValidation", n, validationFraction);
        int[] p = Shuffle.permutation(n, Seeds.random(seed, SPLIT_STREAM, 0, 0));
        return sorted(Arrays.copyOfRange(p, v, n), Arrays.copyOfRange(p, 0, v));
    }

    /**
     * A random split in which every class contributes (close to) {@code validationFraction} of its
     * members to the validation part: per-class counts are {@code n_c * fraction} rounded so that
     * the total is {@code round(n * fraction)} (largest remainders get the extra positions).
     */
    public static IndexSplit stratifiedTrainValidation(int[] labels, double validationFraction, long seed) {
        int n = labels.length;
        int v = validationCount("stratifiedTrainValidation", n, validationFraction);
        int[][] members = byClass("stratifiedTrainValidation", labels);
        int k = members.length;
        int[] take = new int[k];
        double[] rem = new double[k];
        int assigned = 0;
        for (int c = 0; c < k; c++) {
            double exact = members[c].length * validationFraction;
            take[c] = (int) Math.floor(exact);
            rem[c] = exact - take[c];
            assigned += take[c];
        }
        while (assigned < v) {
            int best = -1;
            for (int c = 0; c < k; c++) {
                if (take[c] < members[c].length && (best < 0 || rem[c] > rem[best])) {
                    best = c;
                }
            }
            take[best]++;
            rem[best] = -1;
            assigned++;
        }
        Random rng = Seeds.random(seed, SPLIT_STREAM, 1, 0);
        int[] val = new int[v];
        int[] train = new int[n - v];
        int vi = 0;
        int ti = 0;
        for (int c = 0; c < k; c++) {
            int[] m = members[c].clone();
            Shuffle.inPlace(m, rng);
            for (int j = 0; j < m.length; j++) {
                if (j < take[c]) {
                    val[vi++] = m[j];
                } else {
                    train[ti++] = m[j];
                }
            }
        }
        return sorted(train, val);
    }

    /**
     * K-fold cross-validation over {@code 0..n-1} after a seeded shuffle: fold {@code i} validates
     * on the {@code i}-th chunk and trains on the rest; chunk sizes differ by at most one. Every
     * position is validated exactly once.
     */
    public static List<IndexSplit> kFold(int n, int k, long seed) {
        checkFolds("kFold", n, k);
        int[] p = Shuffle.permutation(n, Seeds.random(seed, KFOLD_STREAM, 0, 0));
        int[] fold = new int[n];
        int start = 0;
        for (int f = 0; f < k; f++) {
            int size = n / k + (f < n % k ? 1 : 0);
            for (int j = start; j < start + size; j++) {
                fold[p[j]] = f;
            }
            start += size;
        }
        return folds(fold, k);
    }

    /**
     * Stratified K-fold: the members of each class are shuffled and dealt to the folds in turn, so
     * each fold holds every class in (nearly) its overall proportion and fold sizes differ by at
     * most one. A class with fewer than {@code k} members is missing from some folds.
     */
    public static List<IndexSplit> stratifiedKFold(int[] labels, int k, long seed) {
        int n = labels.length;
        checkFolds("stratifiedKFold", n, k);
        int[][] members = byClass("stratifiedKFold", labels);
        Random rng = Seeds.random(seed, KFOLD_STREAM, 1, 0);
        int[] fold = new int[n];
        int t = 0;
        for (int[] cls : members) {
            int[] m = cls.clone();
            Shuffle.inPlace(m, rng);
            for (int i : m) {
                fold[i] = t++ % k;
            }
        }
        return folds(fold, k);
    }

    private static List<IndexSplit> folds(int[] fold, int k) {
        int n = fold.length;
        List<IndexSplit> out = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            int count = 0;
            for (int g : fold) {
                if (g == f) {
                    count++;
                }
            }
            int[] val = new int[count];
            int[] train = new int[n - count];
            int vi = 0;
            int ti = 0;
            for (int i = 0; i < n; i++) {
                if (fold[i] == f) {
                    val[vi++] = i;
                } else {
                    train[ti++] = i;
                }
            }
            out.add(new IndexSplit(train, val));
        }
        return List.copyOf(out);
    }

    private static int validationCount(String op, int n, double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("Splits." + op + ": validationFraction must be in (0, 1) but got " + fraction);
        }
        int v = (int) Math.round(n * fraction);
        if (v == 0 || v == n) {
            throw new IllegalArgumentException("Splits." + op + ": validationFraction " + fraction + " of " + n
                    + " samples leaves " + (v == 0 ? "no validation" : "no training") + " samples; use more data or another fraction");
        }
        return v;
    }

    private static void checkFolds(String op, int n, int k) {
        if (k < 2 || k > n) {
            throw new IllegalArgumentException("Splits." + op + ": need 2 <= k <= n (number of samples) but got k=" + k
                    + " with n=" + n);
        }
    }

    /** Positions per class label, each ascending; labels must be {@code >= 0}. */
    private static int[][] byClass(String op, int[] labels) {
        int max = -1;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("Splits." + op + ": label " + labels[i] + " at position " + i
                        + " is negative; class labels must be >= 0");
            }
            if (labels[i] >= ArrayDataset.MAX_CLASSES) {
                throw new IllegalArgumentException("Splits." + op + ": label " + labels[i] + " at position " + i
                        + " is too large; class labels must be below ArrayDataset.MAX_CLASSES = "
                        + ArrayDataset.MAX_CLASSES + " (remap sparse class ids to 0..k-1)");
            }
            max = Math.max(max, labels[i]);
        }
        int[] count = new int[max + 1];
        for (int l : labels) {
            count[l]++;
        }
        int[][] out = new int[max + 1][];
        for (int c = 0; c <= max; c++) {
            out[c] = new int[count[c]];
        }
        int[] fill = new int[max + 1];
        for (int i = 0; i < labels.length; i++) {
            out[labels[i]][fill[labels[i]]++] = i;
        }
        return out;
    }

    private static IndexSplit sorted(int[] train, int[] val) {
        Arrays.sort(train);
        Arrays.sort(val);
        return new IndexSplit(train, val);
    }
}
