package dev.rmpopt.fleet;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * The built-in VM schedulers: first fit, best fit by memory, and the SNP-aware one. Ties go to the
 * lowest host index, so every one is deterministic.
 */
public final class Schedulers {

    /** {@link #firstFit()}'s name. */
    public static final String FIRST_FIT = "first-fit";
    /** {@link #bestFit()}'s name. */
    public static final String BEST_FIT = "best-fit";
    /** {@link #snpAware()}'s name. */
    public static final String SNP_AWARE = "snp-aware";

    private Schedulers() {
    }

    /** The names, in the order reports show them. */
    public static List<String> names() {
        return List.of(SNP_AWARE, FIRST_FIT, BEST_FIT);
    }

    /** The scheduler called {@code name}. */
    public static VmScheduler named(String name) {
        switch (name) {
            case FIRST_FIT:
                return firstFit();
            case BEST_FIT:
                return bestFit();
            case SNP_AWARE:
                return snpAware();
            default:
                throw new NoSuchElementException("no VM scheduler named '" + name + "'; known: " + String.join(", ", names()));
        }
    }

    /** First fit: the lowest-numbered host the VM fits on. */
    public static VmScheduler firstFit() {
        return new FirstFit();
    }

    /** Best fit by memory: the host left with the least free memory once the VM is on it. */
    public static VmScheduler bestFit() {
        return new BestFit();
    }

    /**
     * SNP-aware: SNP guests go to hosts that already hold SNP guests, where they add the fewest
     * 1 GiB regions of SNP memory (what the pack placement would fill, model §1), then best fit;
     * only when none fits does an SNP guest open a host, the best fit among the others. Legacy
     * guests go best fit to hosts without SNP guests, and to SNP hosts only when no other fits, so
     * the rest of the fleet's memory stays optimizable and SNP hosts keep room for SNP guests.
     */
    public static VmScheduler snpAware() {
        return new SnpAware();
    }
}
