package dev.rmpopt.tck;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenTest {

    @Test
    void sameSeedSameValues() {
        Gen<List<Integer>> g = Gen.listOf(Gen.ints(0, 10), Gen.ints(-5, 5));
        assertEquals(g.next(new SplittableRandom(42)), g.next(new SplittableRandom(42)));
        assertNotEquals(Gen.longs(0, Long.MAX_VALUE).next(new SplittableRandom(1)),
                Gen.longs(0, Long.MAX_VALUE).next(new SplittableRandom(2)));
    }

    @Test
    void rangesAreInclusiveAndReachBothEnds() {
        SplittableRandom r = new SplittableRandom(7);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            int v = Gen.ints(3, 6).next(r);
            assertTrue(v >= 3 && v <= 6, "out of range: " + v);
            seen.add(v);
        }
        assertEquals(Set.of(3, 4, 5, 6), seen);
        assertEquals(9L, Gen.longs(9, 9).next(r));
        assertThrows(IllegalArgumentException.class, () -> Gen.ints(2, 1));
    }

    @Test
    void frequencyFollowsWeightsAndNeverPicksZero() {
        Gen<String> g = Gen.frequency(List.of(Gen.weighted(3, Gen.constant("a")), Gen.weighted(1, Gen.constant("b")),
                Gen.weighted(0, Gen.constant("never"))));
        SplittableRandom r = new SplittableRandom(3);
        int a = 0;
        for (int i = 0; i < 4000; i++) {
            String v = g.next(r);
            assertNotEquals("never", v);
            if (v.equals("a")) {
                a++;
            }
        }
        assertTrue(a > 2800 && a < 3200, "about three quarters are a: " + a);
        assertThrows(IllegalArgumentException.class, () -> Gen.frequency(List.of(Gen.weighted(0, Gen.constant(1)))));
    }

    @Test
    void combinatorsCompose() {
        SplittableRandom r = new SplittableRandom(11);
        Gen<int[]> pair = Gen.ints(1, 100).flatMap(n -> Gen.ints(0, n - 1).map(k -> new int[] {n, k}));
        for (int i = 0; i < 500; i++) {
            int[] p = pair.next(r);
            assertTrue(p[1] < p[0], "the dependent value stays below its bound");
        }
        assertEquals(List.of(), Gen.listOf(Gen.constant(0), Gen.ints(0, 1)).next(r));
        assertTrue(List.of("x", "y").contains(Gen.elements("x", "y").next(r)));
        assertTrue(Set.of(1, 2).contains(Gen.oneOf(Gen.constant(1), Gen.constant(2)).next(r)));
        assertThrows(IllegalArgumentException.class, () -> Gen.elements(List.of()));
        long trues = 0;
        for (int i = 0; i < 1000; i++) {
            trues += Gen.chance(0.1).next(r) ? 1 : 0;
        }
        assertTrue(trues > 50 && trues < 150, "about a tenth: " + trues);
    }
}
