package dev.rmpopt.experiments.scenario;

import java.util.List;

/**
 * A scenario file as Jackson binds it, schema version 1 (the module README documents every field).
 * Every field is nullable: the loader merges the file over {@code scenarios/default.yaml}, so a
 * field left out takes the default scenario's value, and {@link ScenarioValidator} checks the rest.
 */
final class ScenarioFile {
    Integer schema;
    String name;
    String description;
    Host host;
    String backend;
    Double durationSeconds;
    Double sampleSeconds;
    List<Long> seeds;
    List<Policy> policies;
    List<String> placements;
    Workload workload;
    Outputs outputs;

    /** The host: a preset, or its fields, or a preset with some fields changed. */
    static final class Host {
        String preset;
        Integer sockets;
        Integer coresPerSocket;
        Integer threadsPerCore;
        Integer numaNodesPerSocket;
        Long memoryGib;
    }

    /** One policy to compare, with its parameters. */
    static final class Policy {
        String name;
        Double delaySeconds;
        Boolean debounce;
        Double manualPassEverySeconds;
    }

    /** A random quantity: seconds for arrivals and lifetimes, GiB for VM sizes. */
    static final class Dist {
        String distribution;
        Double value;
        Double mean;
        Double median;
        Double sigma;
        Double min;
        Double max;
        List<Double> values;
        List<Double> weights;
    }

    /** What VMs do. */
    static final class Workload {
        Dist arrivals;
        Dist lifetime;
        Dist vmSize;
        Double snpShare;
        Trace trace;
        Pages pages;
        Accept accept;
        Double bounceBufferMib;
        Conversions conversions;
        Writes writes;
    }

    /** A trace as the workload, and the rules that make it one host's. */
    static final class Trace {
        String file;
        String format;
        Double snpShare;
        List<String> snpCategories;
        List<String> snpSubscriptions;
        Double startSeconds;
        Double endSeconds;
        Double timeScale;
        Integer host;
        Double fill;
    }

    /** Host pages backing guests. */
    static final class Pages {
        String snp;
        String legacy;
    }

    /** How SNP guests accept memory. */
    static final class Accept {
        Double share;
        Double rampSeconds;
    }

    /** Private-to-shared conversions over a guest's life. */
    static final class Conversions {
        Double perVmPerHour;
        Double blockMib;
    }

    /** Write rates. */
    static final class Writes {
        Integer devicePerVmPerSecond;
        Integer snpGuestPerVmPerSecond;
        Integer legacyGuestPerVmPerSecond;
        Integer hostPerSecond;
    }

    /** Where and how results go. */
    static final class Outputs {
        String dir;
        String format;
        Boolean table;
    }
}
