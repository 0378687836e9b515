package dev.rmpopt.kvm;

import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.PvalidateResult;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.ShutdownKind;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.kernel.KernelRmpopt;
import dev.rmpopt.kernel.SetupResult;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A KVM-like hypervisor on the SPI (model §4 and §7): SNP and legacy VMs on host frames, launched,
 * converted and destroyed with the RMP instructions and firmware commands KVM uses, and every write
 * it makes or its guests make going through the write check (the machine's event listener, telemetry
 * for example, counts them: the hypervisor keeps no count of its own).
 *
 * <ul>
 *   <li>SNP launch ({@code sev_gmem_post_populate}): a context page made FIRMWARE and handed to
 *       SNP_LAUNCH_START; each launch-image page RMPUPDATEd to PRE_GUEST, then LAUNCH_UPDATE makes
 *       it GUEST_VALID.</li>
 *   <li>Runtime private faults ({@code sev_gmem_prepare}): a 2 MiB entry when the backing is 2 MiB
 *       and the whole 2 MiB range is shared, else 4 KiB entries; the guest then PVALIDATEs.</li>
 *   <li>Conversions to shared ({@code sev_gmem_invalidate}): a whole 2 MiB entry in one RMPUPDATE,
 *       part of one after PSMASH.</li>
 *   <li>Destroy: SNP_DECOMMISSION, every private page made shared again, the context page
 *       reclaimed, frames freed, then the kernel's RMPOPT policy is told which regions were freed.
 *       A failed SNP_DECOMMISSION leaks the VM as KVM does ({@link #leakedVms()}).</li>
 *   <li>Frames are zeroed by the hypervisor at destroy, through the direct map (one write per
 *       frame, through a 2 MiB mapping for 2 MiB and 1 GiB frames), after they were made shared
 *       and before the RMPOPT pass that could re-optimize them: those writes are checked. A frame
 *       handed to a guest later was zeroed when it was last freed.</li>
 * </ul>
 * An instruction or command that fails where KVM expects success is a bug in the model, reported
 * as {@link IllegalStateException}; SNP_DECOMMISSION, whose failure KVM handles, is the exception. Not thread-safe: one simulation drives one hypervisor.
 */
public final class Hypervisor {

    private final SnpMachine machine;
    private final HostFrameAllocator frames;
    private final KernelRmpopt kernel;
    private final BitSet freeAsids = new BitSet();
    private final List<Vm> vms = new ArrayList<>();
    /** SNP VMs whose SNP_DECOMMISSION failed: their ASID, context, frames and assigned pages are kept for good. */
    private final List<Vm> leaked = new ArrayList<>();
    private int nextVmId = 1;
    private int nextHostCpu;

    /** A hypervisor on {@code machine}, allocating from {@code frames}, with {@code kernel}'s RMPOPT. */
    public Hypervisor(SnpMachine machine, HostFrameAllocator frames, KernelRmpopt kernel) {
        this.machine = Objects.requireNonNull(machine, "machine");
        this.frames = Objects.requireNonNull(frames, "frames");
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        freeAsids.set(1, RmpState.MAX_ASID + 1);
    }

    /** The machine under the hypervisor. */
    public SnpMachine machine() {
        return machine;
    }

    /** The kernel's RMPOPT side. */
    public KernelRmpopt kernel() {
        return kernel;
    }

    /** The frame allocator. */
    public HostFrameAllocator frames() {
        return frames;
    }

    /** VMs not destroyed. */
    public List<Vm> runningVms() {
        return Collections.unmodifiableList(vms);
    }

    /**
     * SNP VMs whose destroy met a failed SNP_DECOMMISSION (model §7.8), in that order: no longer
     * running, never freed. Their number is the failures counted.
     */
    public List<Vm> leakedVms() {
        return Collections.unmodifiableList(leaked);
    }

    /**
     * Boots the host's SNP side: SNP_INIT, then the kernel's RMPOPT setup and boot pass (from v8
     * queued with no delay: it runs when the clock next runs what is due).
     */
    public SetupResult bootSnp() {
        expect(machine.snpInit(), "SNP_INIT");
        return kernel.boot();
    }

    /**
     * Shuts SNP down as {@code snp_shutdown()} does (model §7.5): the firmware's SNP_SHUTDOWN_EX of
     * {@code kind}, then the kernel's part ({@link KernelRmpopt#onSnpShutdown}: the cleanup and
     * hotplug after X86_SNP_SHUTDOWN, nothing after the legacy path). {@link #bootSnp} re-initializes
     * afterwards. Fails with {@link IllegalStateException}, changing nothing, while an SNP guest runs.
     *
     * @return whether the kernel's cleanup ran
     */
    public boolean shutdownSnp(ShutdownKind kind) {
        Objects.requireNonNull(kind, "kind");
        if (vms.stream().anyMatch(vm -> vm.spec().snp())) {
            throw new IllegalStateException("SNP guests are running: destroy them before SNP_SHUTDOWN");
        }
        if (!leaked.isEmpty()) {
            // Their guest contexts live on, and the firmware refuses SNP_SHUTDOWN while one does (model §4.8).
            throw new IllegalStateException(leaked.size() + " SNP guest(s) whose SNP_DECOMMISSION failed keep their contexts: "
                    + "SNP_SHUTDOWN is refused while a guest context lives");
        }
        expect(machine.snpShutdown(kind), kind.command().name());
        return kernel.onSnpShutdown();
    }

    /**
     * Launches a VM: allocates its frames and, for an SNP guest, creates its context and
     * measures its launch image. Fails with {@link IllegalStateException}, changing nothing, when
     * memory or ASIDs run out.
     */
    public Vm launch(VmSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.snp() && !machine.isSnpInitialized()) {
            throw new IllegalStateException("SNP guests need SNP_INIT first");
        }
        long page = spec.backing().bytes();
        int count = Math.toIntExact(spec.memoryBytes() / page);
        long needed = spec.memoryBytes() + (spec.snp() ? Geometry.PAGE_2M : 0);
        if (needed > frames.freeBytes() || (spec.snp() && freeAsids.isEmpty())) {
            throw new IllegalStateException("not enough free memory or ASIDs for " + spec);
        }
        long[] backing = new long[count];
        for (int i = 0; i < count; i++) {
            OptionalLong frame = frames.allocate(page, spec.snp());
            if (frame.isEmpty()) {
                for (int j = 0; j < i; j++) {
                    frames.free(backing[j], page);
                }
                throw new IllegalStateException("no free " + page + "-byte frame for " + spec);
            }
            backing[i] = frame.getAsLong();
        }
        int[] cpus = new int[spec.vcpus()];
        for (int v = 0; v < cpus.length; v++) {
            cpus[v] = nextHostCpu;
            nextHostCpu = (nextHostCpu + 1) % machine.host().topology().cpuCount();
        }
        int asid = 0;
        if (spec.snp()) {
            asid = freeAsids.nextSetBit(1);
            freeAsids.clear(asid);
        }
        Vm vm = new Vm(nextVmId++, spec, asid, cpus, backing);
        if (spec.snp()) {
            launchSnp(vm);
        }
        vms.add(vm);
        vm.runningOn = this;
        return vm;
    }

    private static MappingSize zeroingMapping(long page) {
        return page == Geometry.PAGE_4K ? MappingSize.SIZE_4K : MappingSize.SIZE_2M;
    }

    private void launchSnp(Vm vm) {
        long context = frames.allocate(Geometry.PAGE_4K, true).orElseThrow(
                () -> new IllegalStateException("no page for the guest context"));
        expect(rmpUpdate(context, RmpState.firmware()), "RMPUPDATE context page to FIRMWARE");
        expect(machine.launchStart(vm.asid(), context), "SNP_LAUNCH_START");
        vm.contextPage = context;
        for (long gpa = 0; gpa < vm.spec().launchBytes(); gpa += Geometry.PAGE_4K) {
            long spa = vm.spaOf(gpa);
            expect(rmpUpdate(spa, RmpState.guestPrivate(vm.asid(), gpa, PageSize.SIZE_4K, true)),
                    "RMPUPDATE launch page to PRE_GUEST");
            expect(machine.launchUpdate(vm.asid(), spa), "SNP_LAUNCH_UPDATE");
            vm.privatePages.set(Math.toIntExact(gpa / Geometry.PAGE_4K));
        }
    }

    /**
     * The guest accepts the 4 MiB chunks covering {@code [gpa, gpa + bytes)} (lazy acceptance):
     * each 2 MiB range not yet private becomes private as a 2 MiB entry when the backing allows it
     * and the whole range is shared, else page by page; the guest validates what became private.
     * Chunks already accepted are left alone.
     */
    public void acceptMemory(Vm vm, long gpa, long bytes) {
        requireSnp(vm);
        long start = Geometry.alignDown(gpa, LazyAcceptance.CHUNK_BYTES);
        long end = Math.min(Geometry.alignUp(gpa + bytes, LazyAcceptance.CHUNK_BYTES), vm.spec().memoryBytes());
        requireRange(vm, start, end - start);
        for (long chunk = start; chunk < end; chunk += LazyAcceptance.CHUNK_BYTES) {
            int index = Math.toIntExact(chunk / LazyAcceptance.CHUNK_BYTES);
            if (!vm.acceptedChunks.get(index)) {
                makePrivate(vm, chunk, LazyAcceptance.CHUNK_BYTES);
                vm.acceptedChunks.set(index);
            }
        }
    }

    /** A page-state change to private of {@code [gpa, gpa + bytes)}, 4 KiB-aligned. */
    public void convertToPrivate(Vm vm, long gpa, long bytes) {
        requireSnp(vm);
        requirePages(vm, gpa, bytes);
        makePrivate(vm, gpa, bytes);
    }

    /**
     * A page-state change to shared of {@code [gpa, gpa + bytes)}, 4 KiB-aligned: the guest
     * rescinds validation, then a 2 MiB entry wholly inside the range goes in one RMPUPDATE, and
     * one only partly inside is PSMASHed first.
     */
    public void convertToShared(Vm vm, long gpa, long bytes) {
        requireSnp(vm);
        requirePages(vm, gpa, bytes);
        for (long p = gpa; p < gpa + bytes; ) {
            int range2M = Math.toIntExact(p / Geometry.PAGE_2M);
            long rangeStart = (long) range2M * Geometry.PAGE_2M;
            if (vm.private2M.get(range2M)) {
                if (p == rangeStart && gpa + bytes >= rangeStart + Geometry.PAGE_2M) {
                    pvalidate(vm, rangeStart, PageSize.SIZE_2M, false);
                    share2M(vm, rangeStart);
                    p = rangeStart + Geometry.PAGE_2M;
                    continue;
                }
                expect(psmash(vm.spaOf(rangeStart)), "PSMASH");
                vm.private2M.clear(range2M);
            }
            if (vm.isPrivate(p)) {
                pvalidate(vm, p, PageSize.SIZE_4K, false);
                share4K(vm, p);
            }
            p += Geometry.PAGE_4K;
        }
    }

    /** The hypervisor emulates a device and writes into the guest's shared page at {@code gpa}. */
    public AccessOutcome deviceWrite(Vm vm, int vcpu, long gpa) {
        requireRunning(vm);
        if (vm.spec().snp() && vm.isPrivate(gpa)) {
            throw new IllegalArgumentException("device emulation writes shared pages; GPA " + Geometry.hex(gpa) + " is private");
        }
        return hostWrite(vm.hostCpuOf(vcpu), vm.spaOf(gpa), MappingSize.SIZE_4K);
    }

    /** The guest writes its own memory at {@code gpa} from {@code vcpu}, through its nested mapping. */
    public AccessOutcome guestWrite(Vm vm, int vcpu, long gpa) {
        requireRunning(vm);
        MappingSize mapping = vm.spec().snp() ? MappingSize.SIZE_4K : vm.spec().backing();
        return machine.write(vm.hostCpuOf(vcpu), vm.accessor(), vm.spaOf(gpa), mapping);
    }

    /**
     * Destroys {@code vm}: for an SNP guest SNP_DECOMMISSION, every private page made shared
     * ({@code sev_gmem_invalidate}), the context page reclaimed; then its frames are zeroed and freed and the
     * kernel's RMPOPT policy hears which regions were freed.
     *
     * <p>If SNP_DECOMMISSION fails, the destroy stops there as KVM's {@code sev_vm_destroy} does
     * (model §7.8): the VM leaves {@link #runningVms()} for {@link #leakedVms()}, its ASID is never
     * reused, its pages stay assigned, its frames and context page stay allocated and unzeroed, and
     * the kernel hears a destroy whose DECOMMISSION failed, so from v5 no pass is queued (model §7.4).
     *
     * @return the 1 GiB regions that held the guest's private memory (empty for a legacy VM, and for
     *         an SNP VM whose SNP_DECOMMISSION failed)
     */
    public BitSet destroy(Vm vm) {
        requireRunning(vm);
        BitSet freed = new BitSet();
        if (vm.spec().snp()) {
            if (machine.decommission(vm.asid()) != FirmwareStatus.SUCCESS) {
                return leak(vm);
            }
            for (int r = vm.private2M.nextSetBit(0); r >= 0; r = vm.private2M.nextSetBit(r + 1)) {
                long gpa = (long) r * Geometry.PAGE_2M;
                freed.set(Math.toIntExact(Geometry.regionIndex(vm.spaOf(gpa))));
                share2M(vm, gpa);
            }
            for (int p = vm.privatePages.nextSetBit(0); p >= 0; p = vm.privatePages.nextSetBit(p + 1)) {
                long gpa = p * Geometry.PAGE_4K;
                freed.set(Math.toIntExact(Geometry.regionIndex(vm.spaOf(gpa))));
                share4K(vm, gpa);
            }
            expect(machine.pageReclaim(vm.contextPage), "SNP_PAGE_RECLAIM of the context page");
            expect(rmpUpdate(vm.contextPage, RmpState.shared()), "RMPUPDATE context page to shared");
            freed.set(Math.toIntExact(Geometry.regionIndex(vm.contextPage)));
            frames.free(vm.contextPage, Geometry.PAGE_4K);
            freeAsids.set(vm.asid());
        }
        long page = vm.spec().backing().bytes();
        for (long frame : vm.backingFrames) {
            hostWrite(vm.hostCpuOf(0), frame, zeroingMapping(page));
            frames.free(frame, page);
        }
        vm.markDestroyed();
        vm.runningOn = null;
        vms.remove(vm);
        if (vm.spec().snp()) {
            kernel.onSnpVmDestroyed(freed);
        }
        return freed;
    }

    /**
     * A failed SNP_DECOMMISSION, handled as {@code sev_vm_destroy} does: {@code snp_decommission_context}
     * warns and returns, and the destroy returns before freeing the ASID ("just leak the ASID"). The
     * failed command changed nothing (model §4.8), so the guest context lives on and the guest's
     * pages stay assigned to it: nothing is made shared, reclaimed, zeroed or freed [M: KVM frees
     * the VM's own structures; the model keeps the Vm as the record of what leaked]. The kernel
     * hears the failure and from v5 queues no pass (model §7.4).
     */
    private BitSet leak(Vm vm) {
        vms.remove(vm);
        vm.runningOn = null;
        leaked.add(vm);
        kernel.onSnpVmDestroyed(new BitSet(), false);
        return new BitSet();
    }

    private void makePrivate(Vm vm, long gpa, long bytes) {
        boolean large = vm.spec().backing() == MappingSize.SIZE_2M;
        for (long p = gpa; p < gpa + bytes; ) {
            int range2M = Math.toIntExact(p / Geometry.PAGE_2M);
            long rangeStart = (long) range2M * Geometry.PAGE_2M;
            int firstPage = Math.toIntExact(rangeStart / Geometry.PAGE_4K);
            if (large && p == rangeStart && gpa + bytes >= rangeStart + Geometry.PAGE_2M && !vm.anyPrivateIn2M(range2M)) {
                expect(rmpUpdate(vm.spaOf(rangeStart), RmpState.guestPrivate(vm.asid(), rangeStart, PageSize.SIZE_2M, false)),
                        "RMPUPDATE 2M private");
                vm.private2M.set(range2M);
                vm.privatePages.set(firstPage, firstPage + Geometry.PAGES_PER_2M);
                pvalidate(vm, rangeStart, PageSize.SIZE_2M, true);
                p = rangeStart + Geometry.PAGE_2M;
                continue;
            }
            if (!vm.isPrivate(p)) {
                expect(rmpUpdate(vm.spaOf(p), RmpState.guestPrivate(vm.asid(), p, PageSize.SIZE_4K, false)),
                        "RMPUPDATE 4K private");
                vm.privatePages.set(Math.toIntExact(p / Geometry.PAGE_4K));
                pvalidate(vm, p, PageSize.SIZE_4K, true);
            }
            p += Geometry.PAGE_4K;
        }
    }

    private void share2M(Vm vm, long gpa) {
        expect(rmpUpdate(vm.spaOf(gpa), RmpState.shared(PageSize.SIZE_2M)), "RMPUPDATE 2M shared");
        int range2M = Math.toIntExact(gpa / Geometry.PAGE_2M);
        vm.private2M.clear(range2M);
        int firstPage = Math.toIntExact(gpa / Geometry.PAGE_4K);
        vm.privatePages.clear(firstPage, firstPage + Geometry.PAGES_PER_2M);
    }

    private void share4K(Vm vm, long gpa) {
        expect(rmpUpdate(vm.spaOf(gpa), RmpState.shared()), "RMPUPDATE 4K shared");
        vm.privatePages.clear(Math.toIntExact(gpa / Geometry.PAGE_4K));
    }

    private void pvalidate(Vm vm, long gpa, PageSize size, boolean validated) {
        PvalidateResult result = machine.pvalidate((Accessor.SnpGuest) vm.accessor(), vm.spaOf(gpa), size, validated);
        if (!result.succeeded()) {
            // the guest's own flows never meet a return code or a nested page fault (model §4.7)
            throw new IllegalStateException("PVALIDATE " + size + " of GPA " + Geometry.hex(gpa) + " failed: " + result);
        }
    }

    /** The host writes its own memory (its kernel, the page cache) at {@code spa}, 4 KiB, from {@code cpu}. */
    AccessOutcome hostOwnWrite(int cpu, long spa) {
        return hostWrite(cpu, spa, MappingSize.SIZE_4K);
    }

    private AccessOutcome hostWrite(int cpu, long spa, MappingSize mapping) {
        return machine.write(cpu, Accessor.HYPERVISOR, spa, mapping);
    }

    private void requireRunning(Vm vm) {
        // the VM's own field, not a search of the running list: every write of the churn checks it
        if (vm.runningOn != this) {
            throw new IllegalArgumentException("VM " + vm.id() + " is not running on this hypervisor");
        }
    }

    private void requireSnp(Vm vm) {
        requireRunning(vm);
        if (!vm.spec().snp()) {
            throw new IllegalArgumentException("VM " + vm.id() + " is not an SNP guest");
        }
    }

    private static void requireRange(Vm vm, long gpa, long bytes) {
        if (gpa < 0 || bytes <= 0 || gpa + bytes > vm.spec().memoryBytes()) {
            throw new IllegalArgumentException("[" + Geometry.hex(gpa) + ", +" + bytes + ") is outside VM " + vm.id() + "'s memory");
        }
    }

    private static void requirePages(Vm vm, long gpa, long bytes) {
        requireRange(vm, gpa, bytes);
        if (gpa % Geometry.PAGE_4K != 0 || bytes % Geometry.PAGE_4K != 0) {
            throw new IllegalArgumentException("page-state changes cover whole 4 KiB pages");
        }
    }

    /**
     * RMPUPDATE by the hypervisor, executed again while it returns FAIL_INUSE (another CPU changing
     * the entry, model §4.1), as Linux retries a transient failure. [M] Linux's {@code rmpupdate()}
     * retries FAIL_OVERLAP and {@code snp_rmptable_psmash()} FAIL_INUSE; in the model an overlap is a
     * lasting conflict that a retry would never resolve, and the transient failure of both
     * instructions is FAIL_INUSE ({@link dev.rmpopt.api.ModelOptions#failInUse()}), so both retry that.
     */
    private RmpReturnCode rmpUpdate(long spa, RmpState state) {
        RmpReturnCode code;
        while ((code = machine.rmpUpdate(spa, state)) == RmpReturnCode.FAIL_INUSE) {
            Thread.onSpinWait();
        }
        return code;
    }

    /** PSMASH by the hypervisor, executed again while it returns FAIL_INUSE, as {@code snp_rmptable_psmash()} does. */
    private RmpReturnCode psmash(long spa) {
        RmpReturnCode code;
        while ((code = machine.psmash(spa)) == RmpReturnCode.FAIL_INUSE) {
            Thread.onSpinWait();
        }
        return code;
    }

    private static void expect(RmpReturnCode code, String what) {
        if (code != RmpReturnCode.SUCCESS) {
            throw new IllegalStateException(what + " failed: " + code);
        }
    }

    private static void expect(FirmwareStatus status, String what) {
        if (status != FirmwareStatus.SUCCESS) {
            throw new IllegalStateException(what + " failed: " + status);
        }
    }
}
