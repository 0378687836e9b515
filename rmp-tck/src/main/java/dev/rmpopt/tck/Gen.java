package dev.rmpopt.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A generator of random values: a function of a seeded {@link SplittableRandom}, so that one seed
 * replays one run exactly. The kit builds every host, option set and operation from these few
 * combinators instead of a property-testing library (see the module README for why).
 *
 * @param <T> the generated type
 */
@FunctionalInterface
interface Gen<T> {

    /** One value drawn from {@code random}. */
    T next(SplittableRandom random);

    /** A value of this generator mapped through {@code f}. */
    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        Objects.requireNonNull(f);
        return r -> f.apply(next(r));
    }

    /** A generator chosen by a value of this one: for dependent values such as an offset inside a drawn range. */
    default <R> Gen<R> flatMap(Function<? super T, Gen<R>> f) {
        Objects.requireNonNull(f);
        return r -> f.apply(next(r)).next(r);
    }

    /** Always {@code value}. */
    static <T> Gen<T> constant(T value) {
        return r -> value;
    }

    /** An int in {@code [lo, hi]}, both inclusive. */
    static Gen<Integer> ints(int lo, int hi) {
        if (hi < lo) {
            throw new IllegalArgumentException("empty range [" + lo + ", " + hi + "]");
        }
        return r -> lo + r.nextInt(hi - lo + 1);
    }

    /** A long in {@code [lo, hi]}, both inclusive. */
    static Gen<Long> longs(long lo, long hi) {
        if (hi < lo) {
            throw new IllegalArgumentException("empty range [" + lo + ", " + hi + "]");
        }
        return r -> hi == Long.MAX_VALUE ? lo + r.nextLong(hi - lo) : r.nextLong(lo, hi + 1);
    }

    /** True with probability {@code p}. */
    static Gen<Boolean> chance(double p) {
        return r -> r.nextDouble() < p;
    }

    /** One of {@code values}, uniformly. */
    @SafeVarargs
    @SuppressWarnings("varargs") // List.of copies the array; it never escapes
    static <T> Gen<T> elements(T... values) {
        return elements(List.of(values));
    }

    /** One of {@code values}, uniformly. */
    static <T> Gen<T> elements(List<? extends T> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to choose from");
        }
        List<? extends T> copy = List.copyOf(values);
        return r -> copy.get(r.nextInt(copy.size()));
    }

    /** A value of one of {@code gens}, chosen uniformly. */
    @SafeVarargs
    @SuppressWarnings("varargs") // List.of copies the array; it never escapes
    static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        List<Gen<? extends T>> copy = List.of(gens);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("no generators to choose from");
        }
        return r -> copy.get(r.nextInt(copy.size())).next(r);
    }

    /** A generator with a weight, for {@link #frequency}. */
    record Weighted<T>(int weight, Gen<? extends T> gen) {
        /** Rejects negative weights. */
        public Weighted {
            if (weight < 0) {
                throw new IllegalArgumentException("negative weight " + weight);
            }
            Objects.requireNonNull(gen, "gen");
        }
    }

    /** Shorthand for a {@link Weighted} generator. */
    static <T> Weighted<T> weighted(int weight, Gen<? extends T> gen) {
        return new Weighted<>(weight, gen);
    }

    /** A value of one of {@code choices}, each chosen with probability proportional to its weight. */
    static <T> Gen<T> frequency(List<Weighted<T>> choices) {
        List<Weighted<T>> copy = List.copyOf(choices);
        int total = copy.stream().mapToInt(Weighted::weight).sum();
        if (total <= 0) {
            throw new IllegalArgumentException("weights sum to " + total);
        }
        return r -> {
            int pick = r.nextInt(total);
            for (Weighted<T> w : copy) {
                pick -= w.weight();
                if (pick < 0) {
                    return w.gen().next(r);
                }
            }
            throw new AssertionError("unreachable: weights changed");
        };
    }

    /** A list whose size is drawn from {@code size} and whose elements from {@code element}. */
    static <T> Gen<List<T>> listOf(Gen<Integer> size, Gen<? extends T> element) {
        return r -> {
            int n = size.next(r);
            List<T> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(element.next(r));
            }
            return out;
        };
    }
}
