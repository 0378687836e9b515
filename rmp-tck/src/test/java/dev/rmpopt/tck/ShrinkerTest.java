package dev.rmpopt.tck;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShrinkerTest {

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    @Test
    void deltaDebuggingKeepsOnlyTheElementsTheFailureNeeds() {
        Shrinker<Integer> s = new Shrinker<>(l -> l.contains(13) && l.contains(71), x -> List.of(), 1000);
        assertEquals(List.of(13, 71), s.shrink(range(100)));
    }

    @Test
    void orderIsPreservedAndDependentStepsStay() {
        // Fails when a 5 is followed, later, by a 9: like "VERIFY, then RMPUPDATE, then REPORT".
        Shrinker<Integer> s = new Shrinker<>(l -> l.indexOf(5) >= 0 && l.lastIndexOf(9) > l.indexOf(5), x -> List.of(), 1000);
        List<Integer> input = new ArrayList<>(List.of(9, 1, 5, 2, 9, 3, 5, 4));
        assertEquals(List.of(5, 9), s.shrink(input));
    }

    @Test
    void valuesAreSimplifiedAfterTheListIsMinimal() {
        Shrinker<Integer> s = new Shrinker<>(l -> l.stream().anyMatch(x -> x >= 5), x -> x > 0 ? List.of(0, x - 1) : List.of(), 1000);
        assertEquals(List.of(5), s.shrink(range(40)));
    }

    @Test
    void theBudgetBoundsTheReplays() {
        int[] calls = {0};
        Shrinker<Integer> s = new Shrinker<>(l -> {
            calls[0]++;
            return l.contains(500);
        }, x -> List.of(), 7);
        List<Integer> out = s.shrink(range(1000));
        assertTrue(calls[0] <= 7 && s.attempts() == calls[0], "replays " + calls[0]);
        assertTrue(out.contains(500), "what it returns still fails");
    }
}
