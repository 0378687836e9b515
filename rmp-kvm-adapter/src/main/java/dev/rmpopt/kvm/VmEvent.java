package dev.rmpopt.kvm;

import java.util.Objects;

/**
 * One scripted event of a VM, from a trace: at {@code timeNanos} after the churn starts, the VM
 * named {@code vm} is launched, converts memory to shared, or is destroyed (model §7.8).
 */
public sealed interface VmEvent {

    /** Simulated time after the start of the churn. */
    long timeNanos();

    /** The trace's name for the VM. */
    String vm();

    /**
     * Launch {@code vm} with {@code memoryBytes} (a multiple of 4 MiB and of the backing page) and
     * {@code vcpus}, as an SNP guest or a legacy one. A launch the host cannot hold is refused.
     */
    record Launch(long timeNanos, String vm, long memoryBytes, int vcpus, boolean snp) implements VmEvent {
        /** Validates. */
        public Launch {
            check(timeNanos, vm);
            if (memoryBytes <= 0 || vcpus < 1) {
                throw new IllegalArgumentException("a launch needs memory and a vCPU");
            }
        }
    }

    /**
     * The SNP guest {@code vm} converts {@code bytes} (whole 4 MiB chunks) of its memory to shared:
     * the chunks just below its bounce area, accepted first if they were not; ignored for a legacy
     * guest or a VM not running.
     */
    record ConvertToShared(long timeNanos, String vm, long bytes) implements VmEvent {
        /** Validates. */
        public ConvertToShared {
            check(timeNanos, vm);
            if (bytes <= 0) {
                throw new IllegalArgumentException("a conversion converts some memory");
            }
        }
    }

    /** Destroy {@code vm}; ignored if it is not running (refused at launch, or never launched). */
    record Destroy(long timeNanos, String vm) implements VmEvent {
        /** Validates. */
        public Destroy {
            check(timeNanos, vm);
        }
    }

    private static void check(long timeNanos, String vm) {
        Objects.requireNonNull(vm, "vm");
        if (timeNanos < 0) {
            throw new IllegalArgumentException("an event cannot come before the start: " + timeNanos);
        }
    }
}
