package dev.rmpopt.experiments.trace;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes the project's own sample in the Azure Public Dataset V2 VM-table schema
 * ({@code scenarios/traces/azure-v2-sample.csv}): no header; {@code vmid, subscriptionid,
 * deploymentid, vmcreated, vmdeleted, maxcpu, avgcpu, p95maxcpu, vmcategory, vmcorecountbucket,
 * vmmemorybucket}; one day, times in multiples of 300 s. The numbers are drawn from a fixed seed,
 * shaped like the published trace's summary (mostly small, short-lived VMs, a few long-lived and
 * large ones); they are not Azure's data.
 */
final class AzureV2Sample {

    static final long SEED = 20261202L;
    static final int VMS = 360;

    private static final String[] CORES = {"2", "4", "8", "24", ">24"};
    private static final String[] MEMORY = {"4", "8", "32", "64", ">64"};
    private static final double[] SHARE = {0.45, 0.25, 0.18, 0.08, 0.04};
    private static final String[] CATEGORIES = {"Interactive", "Delay-insensitive", "Unknown"};

    private AzureV2Sample() {
    }

    static String generate() {
        SplittableRandom random = new SplittableRandom(SEED);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < VMS; i++) {
            long created = random.nextLong(288) * 300;
            boolean longLived = random.nextDouble() < 0.2;
            long life = longLived ? 86400 : (1 + (long) (-Math.log(1 - random.nextDouble()) * 12)) * 300;
            long deleted = created + life;
            double u = random.nextDouble();
            int size = 0;
            while (size < SHARE.length - 1 && u >= SHARE[size]) {
                u -= SHARE[size];
                size++;
            }
            double max = 20 + random.nextDouble() * 80;
            double avg = max * (0.1 + random.nextDouble() * 0.5);
            double p95 = Math.min(max, avg + random.nextDouble() * (max - avg));
            int subscription = random.nextInt(24);
            b.append(String.format(Locale.ROOT, "vm%04d,sub%02d,dep%03d,%d,%s,%.2f,%.2f,%.2f,%s,%s,%s%n", i, subscription,
                    subscription * 10 + random.nextInt(10), created, deleted > 86400 ? "" : String.valueOf(deleted), max, avg, p95,
                    CATEGORIES[random.nextInt(CATEGORIES.length)], CORES[size], MEMORY[size]));
        }
        return b.toString();
    }
}
