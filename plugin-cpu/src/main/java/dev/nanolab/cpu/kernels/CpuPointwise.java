package dev.nanolab.cpu.kernels;

import static dev.nanolab.cpu.memory.CpuStorage.floats;

import dev.nanolab.api.backend.BinaryOp;
import dev.nanolab.api.backend.Pointwise;
import dev.nanolab.api.backend.ReduceOp;
import dev.nanolab.api.backend.Span;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.api.backend.UnaryOp;
import dev.nanolab.api.backend.DType;
import dev.nanolab.cpu.memory.CpuStorage;
import dev.nanolab.cpu.parallel.WorkerPool;
import java.util.EnumSet;
import java.util.Set;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Elementwise, broadcasting, copy and reduction kernels. */
public final class CpuPointwise implements Pointwise {
    /** Below this many element-operations a kernel runs on the calling thread. */
    static final long PARALLEL_MIN = 1 << 15;
    private static final float GELU_K = (float) Math.sqrt(2.0 / Math.PI);

    private final WorkerPool pool;

    public CpuPointwise(WorkerPool pool) {
        this.pool = pool;
    }

    // ------------------------------------------------------------------ unary

    @Override
    public void unary(UnaryOp op, float p0, float p1, Storage xs, long xOffset, Storage ys, long yOffset, long n) {
        float[] x = floats(xs), y = floats(ys);
        int xo = (int) xOffset, yo = (int) yOffset;
        // The hot ops each get a body of their own, why: one loop shared by every op was compiled with every op's
        // branch and ran slow for good once several ops had been through it (`bench kernels` times relu² after gelu:
        // 5.3 ms in the shared loop, 0.7–1.4 in its own body); a body per op is compiled and profiled on its own.
        WorkerPool.Range body = switch (op) {
            case GELU_TANH -> (from, to) -> {
                int i = from;
                for (int bound = from + Vec.S.loopBound(to - from); i < bound; i += Vec.W)
                    gelu(FloatVector.fromArray(Vec.S, x, xo + i)).intoArray(y, yo + i);
                scalarTail(op, p0, p1, x, xo, y, yo, i, to);
            };
            case RELU_SQUARED -> (from, to) -> {
                int i = from;
                for (int bound = from + Vec.S.loopBound(to - from); i < bound; i += Vec.W)
                    reluSquared(FloatVector.fromArray(Vec.S, x, xo + i)).intoArray(y, yo + i);
                scalarTail(op, p0, p1, x, xo, y, yo, i, to);
            };
            case EXP -> (from, to) -> {
                int i = from;
                for (int bound = from + Vec.S.loopBound(to - from); i < bound; i += Vec.W)
                    VecMath.exp(FloatVector.fromArray(Vec.S, x, xo + i)).intoArray(y, yo + i);
                scalarTail(op, p0, p1, x, xo, y, yo, i, to);
            };
            case TANH -> (from, to) -> {
                int i = from;
                for (int bound = from + Vec.S.loopBound(to - from); i < bound; i += Vec.W)
                    VecMath.tanh(FloatVector.fromArray(Vec.S, x, xo + i)).intoArray(y, yo + i);
                scalarTail(op, p0, p1, x, xo, y, yo, i, to);
            };
            case SIGMOID, RELU, SCALE, ADD_SCALAR, NEG, SQUARE, CLAMP -> (from, to) -> {
                int i = from;
                for (int bound = from + Vec.S.loopBound(to - from); i < bound; i += Vec.W)
                    vectorUnary(op, p0, p1, FloatVector.fromArray(Vec.S, x, xo + i)).intoArray(y, yo + i);
                scalarTail(op, p0, p1, x, xo, y, yo, i, to);
            };
            default -> (from, to) -> scalarTail(op, p0, p1, x, xo, y, yo, from, to);
        };
        pool.parallelFor((int) n, 4, PARALLEL_MIN, body);
    }

    private static void scalarTail(UnaryOp op, float p0, float p1, float[] x, int xo, float[] y, int yo, int from, int to) {
        for (int i = from; i < to; i++) y[yo + i] = scalarUnary(op, p0, p1, x[xo + i]);
    }

    /** The same IEEE operations, in the same order, as {@link #scalarUnary}: a lane gives the scalar loop's bits. */
    private static FloatVector vectorUnary(UnaryOp op, float p0, float p1, FloatVector v) {
        return switch (op) {
            case EXP -> VecMath.exp(v);
            case TANH -> VecMath.tanh(v);
            case SIGMOID -> FloatVector.broadcast(Vec.S, 1f).div(VecMath.exp(v.neg()).add(1f));
            case GELU_TANH -> gelu(v);
            case RELU -> v.max(0f);
            case RELU_SQUARED -> reluSquared(v);
            case SCALE -> v.mul(p0);
            case ADD_SCALAR -> v.add(p0);
            case NEG -> v.neg();
            case SQUARE -> v.mul(v);
            case CLAMP -> v.max(p0).min(p1); // lanewise max/min are Math.max/min: NaN stays NaN
            default -> throw new IllegalStateException(op.toString());
        };
    }

    /**
     * GPT-2's GELU, 0.5·x·(1 + tanh(u)) with u = √(2/π)·(x + 0.044715·x³), computed as x·σ(2u) = x / (1 + e^(−2u)):
     * the same function with one exp and one division, where tanh costs an exp, a division and a polynomial.
     */
    private static FloatVector gelu(FloatVector v) {
        FloatVector u = v.mul(v).mul(v).mul(0.044715f).add(v).mul(GELU_K);
        return v.div(VecMath.exp(u.mul(-2f)).add(1f));
    }

    private static FloatVector reluSquared(FloatVector v) {
        FloatVector r = v.max(0f);
        return r.mul(r);
    }

    static float scalarUnary(UnaryOp op, float p0, float p1, float x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> VecMath.exp(x);
            case LOG -> (float) StrictMath.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case RSQRT -> (float) (1.0 / Math.sqrt(x));
            case TANH -> VecMath.tanh(x);
            case SIGMOID -> 1f / (VecMath.exp(-x) + 1f);
            case RELU -> x > 0 ? x : (Float.isNaN(x) ? x : 0f);
            case RELU_SQUARED -> x > 0 ? x * x : (Float.isNaN(x) ? x : 0f);
            case GELU_TANH -> {
                float u = (x * x * x * 0.044715f + x) * GELU_K;
                yield x / (VecMath.exp(u * -2f) + 1f);
            }
            case ABS -> Math.abs(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1f / x;
            case SCALE -> p0 * x;
            case ADD_SCALAR -> x + p0;
            case POW -> (float) StrictMath.pow(x, p0);
            case CLAMP -> Float.isNaN(x) ? x : Math.min(Math.max(x, p0), p1);
        };
    }

    @Override
    public void unaryBackward(UnaryOp op, float p0, float p1, Span xs, Span ys, Span dys, Span dxs, long n,
                              boolean accumulate) {
        float[] x = floats(xs.storage()), y = floats(ys.storage()), dy = floats(dys.storage()), dx = floats(dxs.storage());
        int xo = (int) xs.offset(), yo = (int) ys.offset(), dyo = (int) dys.offset(), dxo = (int) dxs.offset();
        // A body per hot op, as in the forward (unary says why).
        WorkerPool.Range body = switch (op) {
            case GELU_TANH -> (from, to) -> {
                int i = from;
                for (int bound = from + Vec.S.loopBound(to - from); i < bound; i += Vec.W) {
                    // storeGrad written out: once geluGrad and its exp are inlined, C2's node budget is spent
                    // (NodeCountInliningCutoff in -XX:+PrintInlining) and a call to storeGrad stayed out of line,
                    // boxing a vector every iteration: a third of copy speed and 0.2 GB/s of garbage at cpu-demo.
                    FloatVector d = geluGrad(FloatVector.fromArray(Vec.S, x, xo + i)).mul(FloatVector.fromArray(Vec.S, dy, dyo + i));
                    if (accumulate) d = d.add(FloatVector.fromArray(Vec.S, dx, dxo + i));
                    d.intoArray(dx, dxo + i);
                }
                scalarBackward(op, p0, p1, x, xo, y, yo, dy, dyo, dx, dxo, i, to, accumulate);
            };
            case RELU_SQUARED -> (from, to) -> {
                int i = from;
                for (int bound = from + Vec.S.loopBound(to - from); i < bound; i += Vec.W)
                    storeGrad(reluSquaredGrad(FloatVector.fromArray(Vec.S, x, xo + i)), dy, dyo + i, dx, dxo + i, accumulate);
                scalarBackward(op, p0, p1, x, xo, y, yo, dy, dyo, dx, dxo, i, to, accumulate);
            };
            default -> (from, to) -> {
                int i = from;
                if (VECTOR_BACKWARD.contains(op))
                    for (int bound = from + Vec.S.loopBound(to - from); i < bound; i += Vec.W)
                        storeGrad(vectorDerivative(op, p0, p1, FloatVector.fromArray(Vec.S, x, xo + i),
                                FloatVector.fromArray(Vec.S, y, yo + i)), dy, dyo + i, dx, dxo + i, accumulate);
                scalarBackward(op, p0, p1, x, xo, y, yo, dy, dyo, dx, dxo, i, to, accumulate);
            };
        };
        pool.parallelFor((int) n, 6, PARALLEL_MIN, body);
    }

    private static void scalarBackward(UnaryOp op, float p0, float p1, float[] x, int xo, float[] y, int yo, float[] dy,
                                       int dyo, float[] dx, int dxo, int from, int to, boolean accumulate) {
        for (int i = from; i < to; i++) {
            float d = derivative(op, p0, p1, x[xo + i], y[yo + i]) * dy[dyo + i];
            dx[dxo + i] = accumulate ? dx[dxo + i] + d : d;
        }
    }

    private static final Set<UnaryOp> VECTOR_BACKWARD = EnumSet.of(UnaryOp.NEG, UnaryOp.EXP, UnaryOp.TANH,
            UnaryOp.SIGMOID, UnaryOp.RELU, UnaryOp.RELU_SQUARED, UnaryOp.GELU_TANH, UnaryOp.SQUARE, UnaryOp.SCALE,
            UnaryOp.ADD_SCALAR, UnaryOp.CLAMP);

    /**
     * f'(x) lane by lane, multiplied by dy afterwards exactly as the scalar loop does (so 0 · Inf is NaN in both);
     * the same operations as {@link #derivative}.
     */
    private static FloatVector vectorDerivative(UnaryOp op, float p0, float p1, FloatVector x, FloatVector y) {
        FloatVector one = FloatVector.broadcast(Vec.S, 1f), zero = FloatVector.zero(Vec.S);
        return switch (op) {
            case NEG -> FloatVector.broadcast(Vec.S, -1f);
            case EXP -> y;
            case TANH -> one.sub(y.mul(y));
            case SIGMOID -> y.mul(one.sub(y));
            case RELU -> zero.blend(one, x.compare(VectorOperators.GT, 0f));
            case RELU_SQUARED -> reluSquaredGrad(x);
            case GELU_TANH -> geluGrad(x);
            case SQUARE -> x.mul(2f);
            case SCALE -> FloatVector.broadcast(Vec.S, p0);
            case ADD_SCALAR -> one;
            case CLAMP -> zero.blend(one, x.compare(VectorOperators.GE, p0)
                    .and(x.compare(VectorOperators.LE, p1)));
            default -> throw new IllegalStateException(op.toString());
        };
    }

    /** dx (+)= f' · dy for one vector: the product first, then the sum, as the scalar loop does. */
    private static void storeGrad(FloatVector derivative, float[] dy, int dyi, float[] dx, int dxi, boolean accumulate) {
        FloatVector d = derivative.mul(FloatVector.fromArray(Vec.S, dy, dyi));
        if (accumulate) d = d.add(FloatVector.fromArray(Vec.S, dx, dxi));
        d.intoArray(dx, dxi);
    }

    private static FloatVector reluSquaredGrad(FloatVector x) {
        return FloatVector.zero(Vec.S).blend(x.mul(2f), x.compare(VectorOperators.GT, 0f));
    }

    private static FloatVector geluGrad(FloatVector x) {
        // With e = exp(−2u) and s = σ(2u) = 1/(1 + e), 1 − s = e·s: d/dx x·s = s·(1 + e·s·x·2·du/dx),
        // du/dx = √(2/π)·(1 + 3·0.044715·x²). The exponent stops at 88, where e is still finite: e·s stays in [0, 1]
        // (at e = ∞ it would be ∞·0) and far-negative x gets a derivative of 0, not NaN.
        FloatVector x2 = x.mul(x);
        FloatVector u = x2.mul(x).mul(0.044715f).add(x).mul(GELU_K);
        FloatVector e = VecMath.exp(u.mul(-2f).min(88f));
        FloatVector s = FloatVector.broadcast(Vec.S, 1f).div(e.add(1f));
        FloatVector dudx2 = x2.mul(3f * 0.044715f).add(1f).mul(2f * GELU_K);
        return e.mul(s).mul(x).mul(dudx2).add(1f).mul(s);
    }

    /** f'(x), given x and y = f(x). */
    static float derivative(UnaryOp op, float p0, float p1, float x, float y) {
        return switch (op) {
            case NEG -> -1f;
            case EXP -> y;
            case LOG -> 1f / x;
            case SQRT -> 0.5f / y;
            case RSQRT -> -0.5f * y * y * y;
            case TANH -> 1f - y * y;
            case SIGMOID -> y * (1f - y);
            case RELU -> x > 0 ? 1f : 0f;
            case RELU_SQUARED -> x > 0 ? 2f * x : 0f;
            case GELU_TANH -> {
                float x2 = x * x, u = (x2 * x * 0.044715f + x) * GELU_K;
                float e = VecMath.exp(Math.min(u * -2f, 88f)), s = 1f / (e + 1f);
                float dudx2 = (x2 * (3f * 0.044715f) + 1f) * (2f * GELU_K);
                yield (e * s * x * dudx2 + 1f) * s;
            }
            case ABS -> x > 0 ? 1f : x < 0 ? -1f : 0f;
            case SQUARE -> 2f * x;
            case RECIPROCAL -> -y * y;
            case SCALE -> p0;
            case ADD_SCALAR -> 1f;
            case POW -> p0 * (float) StrictMath.pow(x, p0 - 1f);
            case CLAMP -> x >= p0 && x <= p1 ? 1f : 0f;
        };
    }

    // ------------------------------------------------------------------ binary

    @Override
    public void binary(BinaryOp op, Storage as, long aOffset, int[] aStrides, Storage bs, long bOffset, int[] bStrides,
                       Storage outs, long outOffset, int[] shape) {
        float[] a = floats(as), b = floats(bs), out = floats(outs);
        int rank = shape.length;
        if (rank == 0) {
            out[(int) outOffset] = apply(op, a[(int) aOffset], b[(int) bOffset]);
            return;
        }
        int inner = shape[rank - 1];
        int rows = 1;
        for (int d = 0; d < rank - 1; d++) rows *= shape[d];
        int sa = aStrides[rank - 1], sb = bStrides[rank - 1];
        pool.parallelFor(rows, inner, PARALLEL_MIN, (from, to) -> {
            for (int r = from; r < to; r++) {
                long ao = aOffset + rowOffset(r, shape, aStrides), bo = bOffset + rowOffset(r, shape, bStrides);
                binaryRow(op, a, (int) ao, sa, b, (int) bo, sb, out, (int) (outOffset + (long) r * inner), inner);
            }
        });
    }

    /** Offset of row r (a multi-index over all but the last dimension) under the given strides. */
    static long rowOffset(int r, int[] shape, int[] strides) {
        long off = 0;
        for (int d = shape.length - 2; d >= 0; d--) {
            int i = r % shape[d];
            r /= shape[d];
            off += (long) i * strides[d];
        }
        return off;
    }

    private static void binaryRow(BinaryOp op, float[] a, int ao, int sa, float[] b, int bo, int sb, float[] out, int oo, int n) {
        int i = 0;
        if (sa == 1 && (sb == 1 || sb == 0) && op != BinaryOp.EQ && op != BinaryOp.GT) {
            FloatVector bScalar = sb == 0 ? FloatVector.broadcast(Vec.S, b[bo]) : null;
            for (int bound = Vec.S.loopBound(n); i < bound; i += Vec.W) {
                FloatVector va = FloatVector.fromArray(Vec.S, a, ao + i);
                FloatVector vb = sb == 0 ? bScalar : FloatVector.fromArray(Vec.S, b, bo + i);
                FloatVector r = switch (op) {
                    case ADD -> va.add(vb);
                    case SUB -> va.sub(vb);
                    case MUL -> va.mul(vb);
                    case DIV -> va.div(vb);
                    case MAX -> va.max(vb);
                    case MIN -> va.min(vb);
                    default -> throw new IllegalStateException();
                };
                r.intoArray(out, oo + i);
            }
        }
        for (; i < n; i++) out[oo + i] = apply(op, a[ao + i * sa], b[bo + i * sb]);
    }

    static float apply(BinaryOp op, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
            case EQ -> x == y ? 1f : 0f;
            case GT -> x > y ? 1f : 0f;
        };
    }

    // ------------------------------------------------------------------ copy

    @Override
    public void copy(Storage src, long srcOffset, int[] srcStrides, Storage dst, long dstOffset, int[] dstStrides,
                     int[] shape, boolean accumulate) {
        for (int s : dstStrides) if (s == 0) throw new IllegalArgumentException("copy: destination stride 0 (use reduce)");
        int rank = shape.length;
        int inner = rank == 0 ? 1 : shape[rank - 1];
        int rows = 1;
        for (int d = 0; d < rank - 1; d++) rows *= shape[d];
        int ss = rank == 0 ? 1 : srcStrides[rank - 1], ds = rank == 0 ? 1 : dstStrides[rank - 1];
        if (src.dtype() == DType.I32) {
            if (accumulate) throw new IllegalArgumentException("copy: cannot accumulate int32 values");
            int[] s = CpuStorage.ints(src), d = CpuStorage.ints(dst);
            for (int r = 0; r < rows; r++) {
                int so = (int) (srcOffset + (rank == 0 ? 0 : rowOffset(r, shape, srcStrides)));
                int o = (int) (dstOffset + (rank == 0 ? 0 : rowOffset(r, shape, dstStrides)));
                for (int i = 0; i < inner; i++) d[o + i * ds] = s[so + i * ss];
            }
            return;
        }
        float[] s = floats(src), d = floats(dst);
        int finalRows = rows;
        pool.parallelFor(finalRows, inner, PARALLEL_MIN, (from, to) -> {
            for (int r = from; r < to; r++) {
                int so = (int) (srcOffset + (rank == 0 ? 0 : rowOffset(r, shape, srcStrides)));
                int o = (int) (dstOffset + (rank == 0 ? 0 : rowOffset(r, shape, dstStrides)));
                if (ss == 1 && ds == 1) {
                    if (accumulate) Vec.axpy(1f, s, so, d, o, inner);
                    else System.arraycopy(s, so, d, o, inner);
                } else if (accumulate) {
                    for (int i = 0; i < inner; i++) d[o + i * ds] += s[so + i * ss];
                } else {
                    for (int i = 0; i < inner; i++) d[o + i * ds] = s[so + i * ss];
                }
            }
        });
    }

    // ------------------------------------------------------------------ reduce

    @Override
    public void reduce(ReduceOp op, Storage xs, long xOffset, Storage ys, long yOffset, int outer, int length, int inner,
                       boolean accumulate) {
        float[] x = floats(xs), y = floats(ys);
        int xo = (int) xOffset, yo = (int) yOffset;
        if (inner == 1) {
            pool.parallelFor(outer, length, PARALLEL_MIN, (from, to) -> {
                for (int o = from; o < to; o++) {
                    int base = xo + o * length;
                    float r = switch (op) {
                        case SUM -> Vec.sum(x, base, length);
                        case MEAN -> Vec.sum(x, base, length) / length;
                        case MAX -> Vec.max(x, base, length);
                        case SUM_OF_SQUARES -> Vec.dot(x, base, x, base, length);
                    };
                    y[yo + o] = accumulate ? y[yo + o] + r : r;
                }
            });
            return;
        }
        // Reduce across rows: each output column is owned by one worker, rows are summed in order.
        long work = (long) outer * length * inner;
        int parts = work < PARALLEL_MIN ? 1 : pool.threads();
        int columnsPerPart = (inner + parts - 1) / parts;
        pool.parallelFor(parts, work / parts, 0, (pf, pt) -> {
            for (int part = pf; part < pt; part++) {
                int c0 = part * columnsPerPart, c1 = Math.min(inner, c0 + columnsPerPart);
                if (c0 >= c1) continue;
                float[] acc = new float[c1 - c0];
                for (int o = 0; o < outer; o++) {
                    java.util.Arrays.fill(acc, op == ReduceOp.MAX ? Float.NEGATIVE_INFINITY : 0f);
                    for (int l = 0; l < length; l++) {
                        int base = xo + (o * length + l) * inner + c0;
                        switch (op) {
                            case SUM, MEAN -> Vec.axpy(1f, x, base, acc, 0, acc.length);
                            case MAX -> {
                                for (int c = 0; c < acc.length; c++) acc[c] = Math.max(acc[c], x[base + c]);
                            }
                            case SUM_OF_SQUARES -> {
                                for (int c = 0; c < acc.length; c++) acc[c] += x[base + c] * x[base + c];
                            }
                        }
                    }
                    int out = yo + o * inner + c0;
                    for (int c = 0; c < acc.length; c++) {
                        float r = op == ReduceOp.MEAN ? acc[c] / length : acc[c];
                        y[out + c] = accumulate ? y[out + c] + r : r;
                    }
                }
            }
        });
    }
}
