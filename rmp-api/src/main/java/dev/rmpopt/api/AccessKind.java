package dev.rmpopt.api;

/** Whether a memory access reads or writes (model §5: only writes by the host side are checked). */
public enum AccessKind {
    /** A read. */
    READ,
    /** A write. */
    WRITE
}
