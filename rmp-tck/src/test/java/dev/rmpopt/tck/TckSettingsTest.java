package dev.rmpopt.tck;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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

    @Test
    void theDefaultSeedSetIsFixedAndPrintedAndFreshSetsReplay() {
        TckSettings fixed = new TckSettings(OptionalLong.empty(), 1);
        assertArrayEquals(fixed.trialSeeds("x", 10), new TckSettings(OptionalLong.empty(), 1).trialSeeds("x", 10), "fixed in every run");
        assertNotEquals(fixed.trialSeeds("x", 1)[0], fixed.trialSeeds("y", 1)[0], "explorations differ from each other");
        assertTrue(fixed.describeSeeds().contains(TckSettings.formatSeed(TckSettings.DEFAULT_SEED_SET)), fixed.describeSeeds());
        TckSettings fresh = new TckSettings(OptionalLong.empty(), 1, 0x1234, true);
        assertTrue(fresh.describeSeeds().contains("-D" + TckSettings.SEEDS_PROPERTY + "=0x1234"), fresh.describeSeeds());
        TckSettings replayed = new TckSettings(OptionalLong.empty(), 1, 0x1234, false);
        assertArrayEquals(fresh.trialSeeds("x", 10), replayed.trialSeeds("x", 10), "a printed fresh set replays the run");
        String old = System.getProperty(TckSettings.SEEDS_PROPERTY);
        try {
            System.setProperty(TckSettings.SEEDS_PROPERTY, "fresh");
            assertTrue(TckSettings.fromEnvironment().fresh());
            System.setProperty(TckSettings.SEEDS_PROPERTY, "0x1234");
            assertEquals(0x1234, TckSettings.fromEnvironment().seedSet());
        } finally {
            if (old == null) {
                System.clearProperty(TckSettings.SEEDS_PROPERTY);
            } else {
                System.setProperty(TckSettings.SEEDS_PROPERTY, old);
            }
        }
    }
}
