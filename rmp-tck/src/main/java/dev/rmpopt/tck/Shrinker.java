package dev.rmpopt.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Makes a failing sequence small enough to read: first delta debugging over the list (Zeller's
 * ddmin, complement variant: drop ever smaller chunks while the failure stays), ending with every
 * single element tried, then each remaining element replaced by simpler variants of itself while
 * the failure stays. The failure predicate replays a candidate on a fresh machine, so the result
 * is a sequence that really fails; {@code maxAttempts} bounds the replays.
 */
final class Shrinker<T> {

    private final Predicate<List<T>> fails;
    private final Function<T, List<T>> simplifications;
    private final int maxAttempts;
    private int attempts;

    /**
     * @param fails           whether a candidate still fails the same way
     * @param simplifications simpler variants of one element
     * @param maxAttempts     at most this many calls of {@code fails}
     */
    Shrinker(Predicate<List<T>> fails, Function<T, List<T>> simplifications, int maxAttempts) {
        this.fails = fails;
        this.simplifications = simplifications;
        this.maxAttempts = maxAttempts;
    }

    /** Replays used so far. */
    int attempts() {
        return attempts;
    }

    /** A failing sublist of {@code failing} (which must fail), as small and simple as the budget allows. */
    List<T> shrink(List<T> failing) {
        List<T> current = removeChunks(new ArrayList<>(failing));
        return simplifyValues(current);
    }

    private boolean tryFails(List<T> candidate) {
        if (attempts >= maxAttempts) {
            return false;
        }
        attempts++;
        return fails.test(candidate);
    }

    private List<T> removeChunks(List<T> current) {
        int n = 2;
        while (current.size() >= 2 && attempts < maxAttempts) {
            int chunk = (current.size() + n - 1) / n;
            boolean reduced = false;
            for (int start = 0; start < current.size(); start += chunk) {
                List<T> complement = new ArrayList<>(current.subList(0, start));
                complement.addAll(current.subList(Math.min(current.size(), start + chunk), current.size()));
                if (tryFails(complement)) {
                    current = complement;
                    n = Math.max(n - 1, 2);
                    reduced = true;
                    break;
                }
            }
            if (!reduced) {
                if (chunk == 1) {
                    break; // every single element was needed: 1-minimal
                }
                n = Math.min(current.size(), n * 2);
            }
        }
        return current;
    }

    private List<T> simplifyValues(List<T> current) {
        for (int i = 0; i < current.size() && attempts < maxAttempts; i++) {
            boolean changed = true;
            while (changed && attempts < maxAttempts) {
                changed = false;
                for (T simpler : simplifications.apply(current.get(i))) {
                    List<T> candidate = new ArrayList<>(current);
                    candidate.set(i, simpler);
                    if (tryFails(candidate)) {
                        current = candidate;
                        changed = true;
                        break;
                    }
                }
            }
        }
        return current;
    }
}
