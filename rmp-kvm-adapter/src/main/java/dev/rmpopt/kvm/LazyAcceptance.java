package dev.rmpopt.kvm;

/** SNP guests accept their memory lazily, in 4 MiB chunks, as they first use it (model §7, issue text). */
final class LazyAcceptance {

    /** The chunk a guest accepts at once: 4 MiB. */
    static final long CHUNK_BYTES = 4L << 20;

    private LazyAcceptance() {
    }
}
