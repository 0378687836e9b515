package dev.rmpopt.kvm;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A random whole quantity a churn draws from its one random stream: a time in nanoseconds (between
 * arrivals, a lifetime) or a VM size in GiB. Each variant documents exactly which draws it makes,
 * since the order of draws is what makes a seed reproduce a run.
 */
public sealed interface Distribution {

    /** One value, at least 1. */
    long sample(SplittableRandom random);

    /** The largest value it can give ({@link Long#MAX_VALUE} when unbounded). */
    long max();

    /** The mean of its values. */
    double average();

    /** Always {@code value}; draws nothing. */
    record Fixed(long value) implements Distribution {
        /** Rejects a value below 1. */
        public Fixed {
            if (value < 1) {
                throw new IllegalArgumentException("a fixed value must be at least 1, not " + value);
            }
        }

        @Override
        public long sample(SplittableRandom random) {
            return value;
        }

        @Override
        public long max() {
            return value;
        }

        @Override
        public double average() {
            return value;
        }
    }

    /** Exponential with mean {@code mean}: one {@code nextDouble()}, at least 1. */
    record Exponential(long mean) implements Distribution {
        /** Rejects a mean below 1. */
        public Exponential {
            if (mean < 1) {
                throw new IllegalArgumentException("an exponential mean must be at least 1, not " + mean);
            }
        }

        @Override
        public long sample(SplittableRandom random) {
            return Math.max(1, (long) (-Math.log(1 - random.nextDouble()) * mean));
        }

        @Override
        public long max() {
            return Long.MAX_VALUE;
        }

        @Override
        public double average() {
            return mean;
        }
    }

    /**
     * Log-normal with median {@code median} and shape {@code sigma} (the standard deviation of the
     * logarithm): one {@code nextGaussian()}, at least 1.
     */
    record LogNormal(double median, double sigma) implements Distribution {
        /** Rejects a median below 1 or a negative or non-finite shape. */
        public LogNormal {
            if (!(median >= 1) || Double.isInfinite(median) || !(sigma >= 0) || Double.isInfinite(sigma)) {
                throw new IllegalArgumentException("a log-normal needs a finite median >= 1 and a finite sigma >= 0");
            }
        }

        @Override
        public long sample(SplittableRandom random) {
            double value = median * Math.exp(sigma * random.nextGaussian());
            return Math.max(1, value >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) value);
        }

        @Override
        public long max() {
            return Long.MAX_VALUE;
        }

        @Override
        public double average() {
            return median * Math.exp(sigma * sigma / 2);
        }
    }

    /**
     * Uniform over the whole numbers {@code [min, max]}: one {@code nextInt(max - min + 1)} when
     * that fits an int, else one {@code nextLong}.
     */
    record Uniform(long min, long max) implements Distribution {
        /** Rejects {@code min < 1} or {@code max < min}. */
        public Uniform {
            if (min < 1 || max < min) {
                throw new IllegalArgumentException("a uniform range needs 1 <= min <= max, not " + min + "-" + max);
            }
        }

        @Override
        public long sample(SplittableRandom random) {
            long span = max - min + 1;
            return span <= Integer.MAX_VALUE ? min + random.nextInt((int) span) : min + random.nextLong(span);
        }

        @Override
        public double average() {
            return (min + (double) max) / 2;
        }
    }

    /**
     * One of {@code values}, each with its weight (an empirical distribution): one
     * {@code nextDouble()}.
     */
    record Weighted(List<Long> values, List<Double> weights) implements Distribution {
        /** Rejects empty, unequal or non-positive lists; copies them. */
        public Weighted {
            values = List.copyOf(values);
            weights = List.copyOf(weights);
            if (values.isEmpty() || values.size() != weights.size()) {
                throw new IllegalArgumentException("an empirical distribution needs as many weights as values, and one value at least");
            }
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) < 1 || !(weights.get(i) > 0) || Double.isInfinite(weights.get(i))) {
                    throw new IllegalArgumentException("empirical values are at least 1 and weights positive and finite");
                }
            }
        }

        /** Equal weights. */
        public static Weighted of(List<Long> values) {
            return new Weighted(values, values.stream().map(v -> 1.0).toList());
        }

        @Override
        public long sample(SplittableRandom random) {
            double total = weights.stream().mapToDouble(Double::doubleValue).sum();
            double at = random.nextDouble() * total;
            for (int i = 0; i < values.size(); i++) {
                at -= weights.get(i);
                if (at < 0) {
                    return values.get(i);
                }
            }
            return values.get(values.size() - 1);
        }

        @Override
        public long max() {
            return values.stream().mapToLong(Long::longValue).max().orElseThrow();
        }

        @Override
        public double average() {
            double total = weights.stream().mapToDouble(Double::doubleValue).sum();
            double sum = 0;
            for (int i = 0; i < values.size(); i++) {
                sum += values.get(i) * weights.get(i);
            }
            return sum / total;
        }
    }
}
