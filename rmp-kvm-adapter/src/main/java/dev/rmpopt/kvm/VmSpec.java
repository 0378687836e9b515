package dev.rmpopt.kvm;

import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.MappingSize;
import java.util.Objects;

/**
 * What a VM is launched with (model §4 and §7).
 *
 * @param snp          an SEV-SNP guest (private memory in the RMP) or a legacy one
 * @param memoryBytes  guest memory, a multiple of the backing page size
 * @param vcpus        virtual CPUs, placed on host CPUs round-robin
 * @param backing      the host pages backing guest memory: 4 KiB or 2 MiB for SNP, also 1 GiB otherwise
 * @param launchBytes  SNP only: the measured launch image (firmware, kernel), made private at launch
 */
public record VmSpec(boolean snp, long memoryBytes, int vcpus, MappingSize backing, long launchBytes) {

    /** Validates sizes and their alignment. */
    public VmSpec {
        Objects.requireNonNull(backing, "backing");
        if (vcpus < 1) {
            throw new IllegalArgumentException("a VM needs a vCPU");
        }
        if (memoryBytes <= 0 || memoryBytes % backing.bytes() != 0 || memoryBytes % LazyAcceptance.CHUNK_BYTES != 0) {
            throw new IllegalArgumentException("guest memory must be a positive multiple of the backing page and of 4 MiB, not "
                    + memoryBytes);
        }
        if (snp && backing == MappingSize.SIZE_1G) {
            throw new IllegalArgumentException("SNP guest memory is backed by 4 KiB or 2 MiB pages");
        }
        if (launchBytes < 0 || launchBytes > memoryBytes || launchBytes % Geometry.PAGE_4K != 0 || (!snp && launchBytes != 0)) {
            throw new IllegalArgumentException("the launch image must be 4 KiB pages inside an SNP guest's memory, not " + launchBytes);
        }
    }

    /** An SNP guest with 2 MiB backing and a 16 MiB launch image. */
    public static VmSpec snp(long memoryBytes, int vcpus) {
        return new VmSpec(true, memoryBytes, vcpus, MappingSize.SIZE_2M, 16L << 20);
    }

    /** A legacy guest. */
    public static VmSpec legacy(long memoryBytes, int vcpus, MappingSize backing) {
        return new VmSpec(false, memoryBytes, vcpus, backing, 0);
    }
}
