package dev.rmpopt.kvm;

/** What a {@link PlacementPolicy} sees of the allocator: free 2 MiB frames and per-region counts. */
public interface FrameView {

    /** 1 GiB regions of the host. */
    int regionCount();

    /** 2 MiB frames of the host (free or not). */
    int frameCount();

    /** The first free 2 MiB frame at or after {@code fromFrame}, or -1. */
    int nextFree2M(int fromFrame);

    /** Free 2 MiB frames in {@code region}. */
    int freeFramesIn(int region);

    /** 2 MiB frames of {@code region} the allocator may ever hand out. */
    int usableFramesIn(int region);

    /** 2 MiB frames of {@code region} now holding SNP guest memory (whole or split). */
    int snpFramesIn(int region);
}
