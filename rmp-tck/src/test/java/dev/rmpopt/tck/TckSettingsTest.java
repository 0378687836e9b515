package dev.rmpopt.tck;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TckSettingsTest {

    @Test
    void printedSeedsParseBack() {
        for (long seed : new long[] {0, 1, -1, Long.MIN_VALUE, 0xa29d7ea622537dfcL}) {
            assertEquals(seed, TckSettings.parseSeed(TckSettings.formatSeed(seed)));
        }
        assertEquals(1234L, TckSettings.parseSeed(" 1234 "));
    }

    @Test
    void aFixedSeedRunsThatOneTrialAndDepthMultiplies() {
        assertArrayEquals(new long[] {42}, new TckSettings(OptionalLong.of(42), 3).trialSeeds("x", 100));
        assertEquals(300, new TckSettings(OptionalLong.empty(), 3).trialSeeds("x", 100).length);
        assertThrows(IllegalArgumentException.class, () -> new TckSettings(OptionalLong.empty(), 0));
    }
}
