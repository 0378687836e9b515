package dev.rmpopt.kernel;

import dev.rmpopt.api.ClearCause;
import dev.rmpopt.api.CpuMask;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResults;
import dev.rmpopt.api.WrmsrResult;
import java.util.BitSet;

/**
 * Remembers which 1 GiB regions lost RMPOPT bits since the driver last looked, so a pass can tell
 * the regions it won back from those that stayed optimized (model §4: RMPUPDATE clears a region on
 * every core; SNP_INIT and RMPOPT_BASE writes reset whole tables). Attach it to the machine as (one
 * of) its listeners, and give it to the {@link RmpoptDriver}. Thread-safe.
 */
public final class RegionClearTracker implements RmpEventListener {

    private final BitSet cleared = new BitSet();
    /** Whether every table was reset since tracking began... */
    private boolean everything;
    /** ...and which regions were taken since that reset. */
    private final BitSet takenSinceEverything = new BitSet();

    @Override
    public synchronized void onOptimizationCleared(long regionIndex, ClearCause cause, int tablesCleared) {
        cleared.set(Math.toIntExact(regionIndex));
    }

    @Override
    public synchronized void onAllTablesCleared(ClearCause cause) {
        resetEverything();
    }

    @Override
    public synchronized void onRmpoptBaseWrite(int cpu, long value, WrmsrResult result) {
        if (result instanceof WrmsrResult.Written) {
            resetEverything();
        }
    }

    /** Rounds clear nothing: ignored whole, not one CPU at a time as the default would. */
    @Override
    public void onRmpoptRound(CpuMask cpus, long regionBase, RmpoptFunction function, RmpoptResults results) {
    }

    private void resetEverything() {
        everything = true;
        takenSinceEverything.clear();
    }

    /**
     * Which of {@code regions} lost bits since the last call that covered them, and forgets them
     * (only those: regions outside {@code regions} stay remembered for a later pass).
     */
    synchronized BitSet takeCleared(BitSet regions) {
        BitSet taken = (BitSet) cleared.clone();
        taken.and(regions);
        if (everything) {
            BitSet notYetTaken = (BitSet) regions.clone();
            notYetTaken.andNot(takenSinceEverything);
            taken.or(notYetTaken);
            takenSinceEverything.or(regions);
        }
        cleared.andNot(regions);
        return taken;
    }
}
