package dev.nabla.autograd;

import dev.nabla.ndarray.Gather;
import dev.nabla.ndarray.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PyTorch's {@code torch.einsum}: parses the equation (explicit {@code ->} output or implicit:
 * the labels that appear once, in alphabetical order, after the ellipsis dimensions), then
 * composes differentiable primitives: a gather for a label repeated on one operand (diagonal,
 * trace), sums for labels needed nowhere else, broadcasting of size-1 dimensions, and one batched
 * {@code matmul} per pair of operands, left to right, then a final sum and permute. So every
 * derivative, of any order, comes from the primitives' backward.
 * Stateless and thread-safe.
 */
final class Einsum {
    private Einsum() {}

    /** Labels 0-51 are the letters; 52 and up are ellipsis dimensions, counted from the right. */
    private static final int ELLIPSIS = 52;

    static Variable apply(String equation, Variable... operands) {
        String eq = equation.replace(" ", "");
        int arrow = eq.indexOf("->");
        String lhs = arrow < 0 ? eq : eq.substring(0, arrow);
        String[] terms = lhs.split(",", -1);
        if (terms.length != operands.length) {
            throw new IllegalArgumentException("einsum(): " + (terms.length < operands.length ? "more" : "fewer")
                    + " operands were provided than specified in the equation '" + equation + "': " + terms.length
                    + " terms, " + operands.length + " operands");
        }
        int maxEll = 0;
        List<int[]> labels = new ArrayList<>(); // per operand, one label per axis
        for (int k = 0; k < terms.length; k++) {
            labels.add(null);
        }
        int[][] parsed = new int[terms.length][];
        boolean[] hasEll = new boolean[terms.length];
        for (int k = 0; k < terms.length; k++) {
            parsed[k] = parseTerm(equation, terms[k], "operand " + k);
            int explicit = 0;
            for (int l : parsed[k]) {
                if (l == ELLIPSIS) {
                    hasEll[k] = true;
                } else {
                    explicit++;
                }
            }
            int rank = operands[k].ndim();
            if (hasEll[k] ? explicit > rank : explicit != rank) {
                throw new IllegalArgumentException("einsum(): the number of subscripts in the equation (" + explicit
                        + ") " + (hasEll[k] ? "is more than" : "does not match") + " the number of dimensions (" + rank
                        + ") for operand " + k + (hasEll[k] ? "" : " and no ellipsis was given") + " (shape "
                        + Shapes.str(operands[k].shape()) + ")");
            }
            if (hasEll[k]) {
                maxEll = Math.max(maxEll, rank - explicit);
            }
        }
        // expand ellipses, right-aligned: the last ellipsis dim of every operand is ELLIPSIS + maxEll - 1
        int[] counts = new int[ELLIPSIS + maxEll];
        for (int k = 0; k < terms.length; k++) {
            int rank = operands[k].ndim();
            int[] out = new int[rank];
            int e = rank - (parsed[k].length - (hasEll[k] ? 1 : 0));
            int j = 0;
            for (int l : parsed[k]) {
                if (l == ELLIPSIS) {
                    for (int q = 0; q < e; q++) {
                        out[j++] = ELLIPSIS + maxEll - e + q;
                    }
                } else {
                    out[j++] = l;
                }
            }
            labels.set(k, out);
            for (int l : out) {
                counts[l]++;
            }
        }
        int[] output;
        if (arrow >= 0) {
            int[] o = parseTerm(equation, eq.substring(arrow + 2), "the output");
            List<Integer> out = new ArrayList<>();
            boolean[] seen = new boolean[counts.length];
            for (int l : o) {
                if (l == ELLIPSIS) {
                    for (int q = 0; q < maxEll; q++) {
                        out.add(ELLIPSIS + q);
                    }
                    continue;
                }
                if (seen[l]) {
                    throw new IllegalArgumentException("einsum(): output subscript " + letter(l)
                            + " appears more than once in the output of '" + equation + "'");
                }
                seen[l] = true;
                if (l >= counts.length || counts[l] == 0) {
                    throw new IllegalArgumentException("einsum(): output subscript " + letter(l)
                            + " does not appear in the equation for any input operand: '" + equation + "'");
                }
                out.add(l);
            }
            // ellipsis dimensions left out of an explicit output are summed, as NumPy does
            output = toArray(out);
        } else {
            List<Integer> out = new ArrayList<>();
            for (int q = 0; q < maxEll; q++) {
                out.add(ELLIPSIS + q);
            }
            for (int l = 0; l < ELLIPSIS; l++) {
                if (counts[l] == 1) {
                    out.add(l);
                }
            }
            // alphabetical: upper case sorts before lower case, as in PyTorch (ASCII order)
            output = toArray(out);
        }
        int[] sizes = new int[counts.length];
        Arrays.fill(sizes, 1);
        for (int k = 0; k < operands.length; k++) {
            int[] l = labels.get(k);
            int[] s = operands[k].shape();
            for (int a = 0; a < l.length; a++) {
                for (int b = 0; b < a; b++) {
                    if (l[b] == l[a] && s[b] != s[a]) {
                        throw new IllegalArgumentException("einsum(): subscript " + letter(l[a]) + " is repeated for "
                                + "operand " + k + " but the sizes don't match, " + s[b] + " != " + s[a] + " (shape "
                                + Shapes.str(s) + ") in '" + equation + "'");
                    }
                }
                if (s[a] != 1 && sizes[l[a]] != 1 && sizes[l[a]] != s[a]) {
                    throw new IllegalArgumentException("einsum(): operands do not broadcast with remapped shapes "
                            + "(original->remapped): subscript " + letter(l[a]) + " has size " + sizes[l[a]]
                            + " and " + s[a] + " (operand " + k + ", shape " + Shapes.str(s) + ") in '" + equation + "'");
                }
                sizes[l[a]] = Math.max(sizes[l[a]], s[a]);
            }
        }
        // per operand: diagonal for repeated labels, then broadcast to the label sizes
        Variable[] xs = new Variable[operands.length];
        for (int k = 0; k < operands.length; k++) {
            int[] l = labels.get(k);
            Variable x = operands[k];
            int[] u = unique(l);
            if (u.length != l.length) {
                x = diagonal(equation, k, x, l, u);
                l = u;
            }
            int[] target = new int[l.length];
            for (int a = 0; a < l.length; a++) {
                target[a] = sizes[l[a]];
            }
            if (!Arrays.equals(target, x.shape())) {
                x = x.broadcastTo(target);
            }
            xs[k] = x;
            labels.set(k, l);
        }
        Variable acc = xs[0];
        int[] accL = labels.get(0);
        for (int k = 1; k < operands.length; k++) {
            boolean[] later = new boolean[counts.length];
            for (int l : output) {
                later[l] = true;
            }
            for (int q = k + 1; q < operands.length; q++) {
                for (int l : labels.get(q)) {
                    later[l] = true;
                }
            }
            int[] bL = labels.get(k);
            Variable b = xs[k];
            boolean[] inB = mark(bL, counts.length);
            boolean[] inA = mark(accL, counts.length);
            // sum labels neither the other side nor anything later needs
            Object[] ra = sumUnneeded(acc, accL, inB, later);
            acc = (Variable) ra[0];
            accL = (int[]) ra[1];
            Object[] rb = sumUnneeded(b, bL, inA, later);
            b = (Variable) rb[0];
            bL = (int[]) rb[1];
            inB = mark(bL, counts.length);
            inA = mark(accL, counts.length);
            List<Integer> batch = new ArrayList<>();
            List<Integer> contr = new ArrayList<>();
            List<Integer> aOnly = new ArrayList<>();
            List<Integer> bOnly = new ArrayList<>();
            for (int l : accL) {
                if (inB[l]) {
                    (later[l] ? batch : contr).add(l);
                } else {
                    aOnly.add(l);
                }
            }
            for (int l : bL) {
                if (!inA[l]) {
                    bOnly.add(l);
                }
            }
            int bs = prod(batch, sizes);
            int m = prod(aOnly, sizes);
            int kk = prod(contr, sizes);
            int n = prod(bOnly, sizes);
            Variable a3 = acc.permute(perm(accL, batch, aOnly, contr)).reshape(bs, m, kk);
            Variable b3 = b.permute(perm(bL, batch, contr, bOnly)).reshape(bs, kk, n);
            List<Integer> resL = new ArrayList<>(batch);
            resL.addAll(aOnly);
            resL.addAll(bOnly);
            accL = toArray(resL);
            int[] rs = new int[accL.length];
            for (int a = 0; a < rs.length; a++) {
                rs[a] = sizes[accL[a]];
            }
            acc = a3.matmul(b3).reshape(rs);
        }
        boolean[] inOut = mark(output, counts.length);
        Object[] r = sumUnneeded(acc, accL, new boolean[counts.length], inOut);
        acc = (Variable) r[0];
        accL = (int[]) r[1];
        int[] p = new int[output.length];
        for (int a = 0; a < output.length; a++) {
            p[a] = indexOf(accL, output[a]);
        }
        return acc.permute(p);
    }

    private static int[] parseTerm(String equation, String term, String what) {
        List<Integer> out = new ArrayList<>();
        boolean ell = false;
        for (int i = 0; i < term.length(); i++) {
            char c = term.charAt(i);
            if (c == '.') {
                if (ell || !term.startsWith("...", i)) {
                    throw new IllegalArgumentException("einsum(): found '.' for " + what + " that is not part of any "
                            + "ellipsis, or more than one ellipsis, in '" + equation + "'");
                }
                ell = true;
                out.add(ELLIPSIS);
                i += 2;
            } else if (c >= 'a' && c <= 'z') {
                out.add(26 + c - 'a');
            } else if (c >= 'A' && c <= 'Z') {
                out.add(c - 'A');
            } else {
                throw new IllegalArgumentException("einsum(): invalid subscript given at index " + i + " of " + what
                        + " in the equation string '" + equation + "', subscripts must be in [a-zA-Z]");
            }
        }
        return toArray(out);
    }

    private static String letter(int l) {
        return l >= ELLIPSIS ? "..." : String.valueOf((char) (l < 26 ? 'A' + l : 'a' + l - 26));
    }

    /** The diagonal over repeated labels {@code l} of {@code x}: one axis per label of {@code u}. */
    private static Variable diagonal(String equation, int k, Variable x, int[] l, int[] u) {
        int[] s = x.shape();
        int[] us = new int[u.length];
        for (int a = 0; a < l.length; a++) {
            int j = indexOf(u, l[a]);
            if (us[j] != 0 && us[j] != s[a]) {
                throw new IllegalArgumentException("einsum(): subscript " + letter(l[a]) + " is repeated for operand "
                        + k + " but the sizes don't match, " + us[j] + " != " + s[a] + " (shape " + Shapes.str(s)
                        + ") in '" + equation + "'");
            }
            us[j] = s[a];
        }
        int[] strides = Shapes.strides(s);
        int[] ustr = new int[u.length];
        for (int a = 0; a < l.length; a++) {
            ustr[indexOf(u, l[a])] += strides[a];
        }
        int size = Shapes.size(us);
        int[] off = new int[size];
        int[] idx = new int[u.length];
        for (int i = 0; i < size; i++) {
            int o = 0;
            for (int a = 0; a < u.length; a++) {
                o += idx[a] * ustr[a];
            }
            off[i] = o;
            for (int a = u.length - 1; a >= 0; a--) {
                if (++idx[a] < us[a]) {
                    break;
                }
                idx[a] = 0;
            }
        }
        return new GetItemNode(Gather.of(s, us, off)).apply(x);
    }

    /** Sums the axes of {@code x} whose labels are in neither {@code other} nor {@code later}. */
    private static Object[] sumUnneeded(Variable x, int[] l, boolean[] other, boolean[] later) {
        List<Integer> axes = new ArrayList<>();
        List<Integer> keep = new ArrayList<>();
        for (int a = 0; a < l.length; a++) {
            if (other[l[a]] || later[l[a]]) {
                keep.add(l[a]);
            } else {
                axes.add(a);
            }
        }
        if (axes.isEmpty()) {
            return new Object[] {x, l};
        }
        return new Object[] {x.sum(toArray(axes), false), toArray(keep)};
    }

    private static int[] perm(int[] l, List<Integer> g1, List<Integer> g2, List<Integer> g3) {
        int[] p = new int[l.length];
        int j = 0;
        for (List<Integer> g : List.of(g1, g2, g3)) {
            for (int lab : g) {
                p[j++] = indexOf(l, lab);
            }
        }
        return p;
    }

    private static int prod(List<Integer> labels, int[] sizes) {
        int n = 1;
        for (int l : labels) {
            n *= sizes[l];
        }
        return n;
    }

    private static boolean[] mark(int[] l, int n) {
        boolean[] m = new boolean[n];
        for (int x : l) {
            m[x] = true;
        }
        return m;
    }

    private static int[] unique(int[] l) {
        List<Integer> u = new ArrayList<>();
        for (int x : l) {
            if (!u.contains(x)) {
                u.add(x);
            }
        }
        return toArray(u);
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static int[] toArray(List<Integer> l) {
        int[] a = new int[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }
}
