package dev.nabla.data;

/** A view of some samples of another dataset, by position. */
final class Subset implements Dataset {
    private final Dataset base;
    private final int[] indices;

    Subset(Dataset base, int[] indices) {
        int n = base.size();
        for (int i : indices) {
            Dataset.checkIndex("subset", i, n);
        }
        this.base = base;
        this.indices = indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Sample get(int index) {
        Dataset.checkIndex("Subset.get", index, indices.length);
        return base.get(indices[index]);
    }
}
