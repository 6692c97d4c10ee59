package dev.nabla.examples.rnn;

import dev.nabla.train.Seeds;

/**
 * Truncated-BPTT blocks from one token stream, laid out as char-rnn does: the stream is cut into
 * {@code n} contiguous parallel streams of {@code span = length / n} tokens (stream i holds tokens
 * {@code [i·span, (i+1)·span)}), walked together in time-major blocks of up to {@code seqLen}
 * steps, so that block k+1 of stream i continues exactly where block k ended and the recurrent
 * state can be carried from block to block. When a pass reaches the end of the streams the next
 * pass starts at an offset in {@code [0, seqLen)} drawn from {@code (seed, pass)}, so that block
 * boundaries move from pass to pass; the state must then restart from zeros ({@link Block#fresh}).
 */
final class StreamBatches {
    /**
     * One block: {@code inputs[t * n + i]} is step t of stream i, {@code targets} the tokens that
     * follow them, {@code steps} the number of time steps, {@code fresh} whether the carried state
     * must be reset before it (first block of a pass).
     */
    record Block(int[] inputs, int[] targets, int steps, boolean fresh) {}

    private final int[] stream;
    private final int n;
    private final int seqLen;
    private final int span;
    private final long seed;
    private int pass;
    private int position;
    private boolean fresh = true;

    /** Blocks of {@code stream} for {@code n} parallel streams and at most {@code seqLen} steps; {@code op} names the caller in errors. */
    StreamBatches(String op, int[] stream, int n, int seqLen, long seed) {
        if (n < 1 || seqLen < 1) {
            throw new IllegalArgumentException(op + ": batch size and sequence length must be positive, got " + n + " and "
                    + seqLen);
        }
        int span = stream.length / n;
        if (span < 2) {
            throw new IllegalArgumentException(op + ": a stream of " + stream.length + " tokens is too short for " + n
                    + " parallel streams of at least 2 tokens; use a smaller batch size (at most " + stream.length / 2 + ")");
        }
        this.stream = stream;
        this.n = n;
        this.seqLen = seqLen;
        this.span = span;
        this.seed = seed;
    }

    /** Tokens per parallel stream. */
    int span() {
        return span;
    }

    /** The current pass (0 for the first). */
    int pass() {
        return pass;
    }

    /** Where the next block starts within each parallel stream. */
    int position() {
        return position;
    }

    /** Continues from a saved cursor (pass and position) with a carried state (not fresh). */
    void restore(int pass, int position) {
        if (pass < 0 || position < 0 || position >= span) {
            throw new IllegalArgumentException("StreamBatches.restore: pass " + pass + " and position " + position
                    + " do not fit streams of " + span + " tokens; the checkpoint was written for other data");
        }
        this.pass = pass;
        this.position = position;
        this.fresh = false;
    }

    /** The next block of the current pass, or null at its end (for evaluation: one pass from position 0). */
    Block nextInPass() {
        int len = Math.min(seqLen, span - 1 - position);
        if (len < 1) {
            return null;
        }
        int[] x = new int[len * n];
        int[] y = new int[len * n];
        for (int t = 0; t < len; t++) {
            for (int i = 0; i < n; i++) {
                int k = i * span + position + t;
                x[t * n + i] = stream[k];
                y[t * n + i] = stream[k + 1];
            }
        }
        position += len;
        Block b = new Block(x, y, len, fresh);
        fresh = false;
        return b;
    }

    /** The next block, starting a new pass (at a seeded offset, with a fresh state) when the current one is done. */
    Block next() {
        Block b = nextInPass();
        if (b == null) {
            pass++;
            position = Seeds.random(seed, Seeds.SHUFFLE, pass).nextInt(Math.min(seqLen, span - 1));
            fresh = true;
            b = nextInPass();
        }
        return b;
    }
}
