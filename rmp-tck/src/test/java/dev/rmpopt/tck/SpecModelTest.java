package dev.rmpopt.tck;

import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.PageState;
import dev.rmpopt.api.PvalidateResult;
import dev.rmpopt.api.RmpEntry;
import dev.rmpopt.api.RmpFault;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.RmpoptBase;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.RmpoptResult;
import dev.rmpopt.api.RmpoptTableScope;
import dev.rmpopt.api.ShutdownKind;
import dev.rmpopt.api.WrmsrResult;
import dev.rmpopt.api.SnpMachine;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.SplittableRandom;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.api.Geometry.PAGE_2M;
import static dev.rmpopt.api.Geometry.PAGE_4K;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kit's oracle against hand-worked SPEC examples: if the oracle is wrong, every verdict is. */
class SpecModelTest {

    /** 1 socket x 2 cores x 2 threads (CPUs 0,1 primary; 2,3 their siblings); RAM [0, 4 GiB) with the RMP at the top. */
    private static final HostDescription HOST = HostDescription.standard(new CpuTopology(1, 2, 2), 4 * GIB);

    private static SpecModel initialized(ModelOptions options) {
        SpecModel m = new SpecModel(HOST, options);
        assertEquals(FirmwareStatus.SUCCESS, m.snpInit());
        for (int cpu : HOST.topology().primaryThreads()) {
            assertEquals(WrmsrResult.WRITTEN, m.wrmsrRmpoptBase(cpu, RmpoptBase.ENABLE));
        }
        return m;
    }

    private static boolean verify(SpecModel m, int cpu, long region) {
        return m.rmpopt(cpu, Geometry.regionBase(region), RmpoptFunction.VERIFY_AND_REPORT_STATUS).carry();
    }

    private static boolean report(SpecModel m, int cpu, long region) {
        return m.rmpopt(cpu, Geometry.regionBase(region), RmpoptFunction.REPORT_STATUS).carry();
    }

    @Test
    void verifySetsTheCoresBitSharedBySmtSiblingsAndAssigningClearsEveryCore() {
        SpecModel m = initialized(ModelOptions.DEFAULTS);
        assertTrue(verify(m, 1, 1));
        assertTrue(report(m, 1, 1) && report(m, 3, 1), "CPU 3 is CPU 1's sibling (model §4, per core)");
        assertFalse(report(m, 0, 1), "core 0 did not verify (I4)");
        assertTrue(verify(m, 0, 1));
        assertEquals(AccessOutcome.SKIPPED, m.write(0, Accessor.HYPERVISOR, GIB + 5 * PAGE_4K, MappingSize.SIZE_4K));
        assertEquals(RmpReturnCode.SUCCESS, m.rmpUpdate(GIB + 5 * PAGE_4K, RmpState.guestPrivate(1, 0, PageSize.SIZE_4K, false)));
        for (int cpu = 0; cpu < 4; cpu++) {
            assertFalse(report(m, cpu, 1), "I3 on cpu " + cpu);
        }
        assertFalse(verify(m, 0, 1), "an assigned page blocks VERIFY");
        assertInstanceOf(RmpFault.HostPageFault.class, m.write(0, Accessor.HYPERVISOR, GIB + 5 * PAGE_4K, MappingSize.SIZE_4K));
        assertEquals(AccessOutcome.CHECKED, m.write(0, Accessor.HYPERVISOR, GIB + 6 * PAGE_4K, MappingSize.SIZE_4K));
        assertInstanceOf(RmpFault.class, m.write(0, new Accessor.NonSnpGuest(1), GIB + 6 * PAGE_4K, MappingSize.SIZE_1G),
                "a 1G mapping is checked as the whole 2M range (model §5)");
    }

    @Test
    void perLogicalCpuTablesAreNotShared() {
        SpecModel m = initialized(ModelOptions.DEFAULTS.withTableScope(RmpoptTableScope.PER_LOGICAL_CPU));
        assertTrue(verify(m, 1, 0) || !m.regionVerifiable(0));
        assertTrue(verify(m, 1, 1));
        assertFalse(report(m, 3, 1));
    }

    @Test
    void regionsWithFirmwarePagesOrOutsideTheWindowNeverVerify() {
        SpecModel m = initialized(ModelOptions.DEFAULTS.withWindowBytes(2 * GIB));
        assertFalse(verify(m, 0, 0), "region 0 holds the firmware pages [1 MiB, 2 MiB)");
        assertFalse(verify(m, 0, 3), "region 3 holds the RMP");
        assertTrue(verify(m, 0, 1));
        assertFalse(verify(m, 0, 2), "region 2 is past the 2 GiB window");
        assertEquals(RmpoptResult.UD, new SpecModel(HOST, ModelOptions.DEFAULTS).rmpopt(0, 0, RmpoptFunction.REPORT_STATUS));
    }

    @Test
    void overlapsAndPsmash() {
        SpecModel m = initialized(ModelOptions.DEFAULTS);
        long range = GIB + 10 * PAGE_2M;
        assertEquals(RmpReturnCode.SUCCESS, m.rmpUpdate(range + 7 * PAGE_4K, RmpState.guestPrivate(2, 0, PageSize.SIZE_4K, false)));
        assertEquals(RmpReturnCode.FAIL_OVERLAP, m.rmpUpdate(range, RmpState.guestPrivate(2, 0, PageSize.SIZE_2M, false)));
        assertEquals(RmpReturnCode.SUCCESS, m.rmpUpdate(range + 7 * PAGE_4K, RmpState.shared()));
        assertEquals(RmpReturnCode.SUCCESS, m.rmpUpdate(range, RmpState.guestPrivate(2, 4 * PAGE_2M, PageSize.SIZE_2M, false)));
        assertEquals(RmpReturnCode.FAIL_OVERLAP, m.rmpUpdate(range + PAGE_4K, RmpState.shared()), "PSMASH first");
        assertEquals(RmpReturnCode.FAIL_INPUT, m.rmpUpdate(range + PAGE_4K, RmpState.guestPrivate(2, 0, PageSize.SIZE_2M, false)));
        assertEquals(PvalidateResult.success(false), m.pvalidate(new Accessor.SnpGuest(2), range, PageSize.SIZE_2M, true));
        assertEquals(PvalidateResult.nestedPageFault(true), m.pvalidate(new Accessor.SnpGuest(2), range, PageSize.SIZE_4K, true),
                "model §4.7: 4K inside a 2M entry is an NPF with SIZEM");
        assertEquals(PvalidateResult.nestedPageFault(false), m.pvalidate(new Accessor.SnpGuest(3), range, PageSize.SIZE_2M, true));
        assertEquals(RmpReturnCode.SUCCESS, m.psmash(range));
        RmpEntry split = m.rmpRead(range + 3 * PAGE_4K).entry();
        assertEquals(RmpEntry.guestValid(2, 4 * PAGE_2M + 3 * PAGE_4K, PageSize.SIZE_4K), split, "GPA + offset, validated kept");
        assertEquals(RmpReturnCode.FAIL_NOT_EXPANDABLE, m.psmash(range));
        assertEquals(RmpReturnCode.FAIL_PERMISSION, m.rmpUpdate(new Accessor.NonSnpGuest(1), range, RmpState.shared()));
        assertThrows(IllegalArgumentException.class, () -> m.rmpUpdate(-PAGE_4K, RmpState.shared()));
    }

    @Test
    void firmwareLifecycleAndReclaim() {
        SpecModel m = new SpecModel(HOST, ModelOptions.DEFAULTS.withSnpEnabledAtPowerOn(true));
        assertEquals(WrmsrResult.WRITTEN, m.wrmsrRmpoptBase(0, RmpoptBase.ENABLE), "SnpEn is set at boot");
        assertTrue(m.rmpopt(0, 0, RmpoptFunction.VERIFY_AND_REPORT_STATUS).carry(), "region 0 is clean before SNP_INIT");
        assertEquals(AccessOutcome.SKIPPED, m.write(0, Accessor.HYPERVISOR, PAGE_2M, MappingSize.SIZE_4K), "the bit first");
        assertEquals(AccessOutcome.CHECKED, m.write(1, Accessor.HYPERVISOR, PAGE_2M, MappingSize.SIZE_4K), "SnpEn set: checks on");
        assertEquals(FirmwareStatus.SUCCESS, m.snpInit());
        assertFalse(m.rmpopt(0, 0, RmpoptFunction.REPORT_STATUS).carry(), "I5: SNP_INIT zeroed the table");
        assertEquals(FirmwareStatus.INVALID_PLATFORM_STATE, m.snpInit());
        assertEquals(PageState.FIRMWARE, m.rmpRead(1L << 20).entry().state());
        long ctx = 2 * GIB;
        assertEquals(FirmwareStatus.INVALID_PAGE_STATE, m.launchStart(1, ctx), "the host must hand the page over first");
        assertEquals(FirmwareStatus.INVALID_PAGE_STATE, m.launchStart(1, 1L << 20), "not the firmware's own pages");
        assertEquals(RmpReturnCode.SUCCESS, m.rmpUpdate(ctx, RmpState.firmware()));
        assertEquals(FirmwareStatus.SUCCESS, m.launchStart(1, ctx));
        assertEquals(FirmwareStatus.ASID_OWNED, m.launchStart(1, ctx));
        long page = 2 * GIB + PAGE_2M;
        assertEquals(RmpReturnCode.SUCCESS, m.rmpUpdate(page, RmpState.guestPrivate(1, 0, PageSize.SIZE_4K, true)));
        assertEquals(FirmwareStatus.SUCCESS, m.launchUpdate(1, page));
        assertEquals(PageState.GUEST_VALID, m.rmpRead(page).entry().state());
        assertEquals(AccessOutcome.CHECKED, m.write(0, new Accessor.SnpGuest(1), page, MappingSize.SIZE_4K));
        assertEquals(FirmwareStatus.INVALID_PLATFORM_STATE, m.snpShutdown(ShutdownKind.X86_SNP_SHUTDOWN), "a guest lives");
        assertEquals(FirmwareStatus.SUCCESS, m.decommission(1));
        assertEquals(PageState.FIRMWARE, m.rmpRead(ctx).entry().state());
        assertEquals(FirmwareStatus.SUCCESS, m.pageReclaim(ctx));
        assertEquals(PageState.RECLAIM, m.rmpRead(ctx).entry().state());
        assertEquals(FirmwareStatus.INVALID_PAGE_STATE, m.pageReclaim(1L << 20));
        assertEquals(FirmwareStatus.INVALID_ASID, m.decommission(0));
        assertEquals(FirmwareStatus.SUCCESS, m.snpShutdown(ShutdownKind.LEGACY_SNP_SHUTDOWN_EX));
        assertTrue(m.rmpChecksEnabled(), "RMP checks stay on after the legacy shutdown");
        assertEquals(RmpoptBase.ENABLE, m.rdmsrRmpoptBase(0).raw(), "nobody wrote RMPOPT_BASE");
    }

    @Test
    void snpEnIsClearAtPowerOnAndTheTwoShutdownsDiffer() {
        SpecModel m = new SpecModel(HOST, ModelOptions.DEFAULTS);
        assertFalse(m.snpEnabled(0));
        assertFalse(m.rmpChecksEnabled());
        assertTrue(m.wrmsrRmpoptBase(0, RmpoptBase.ENABLE) instanceof WrmsrResult.GeneralProtection, "RMPOPT_EN needs SnpEn");
        assertEquals(WrmsrResult.WRITTEN, m.wrmsrRmpoptBase(0, 0), "a disabling write is allowed");
        assertEquals(AccessOutcome.UNCHECKED, m.write(0, Accessor.HYPERVISOR, PAGE_2M, MappingSize.SIZE_4K));
        assertEquals(FirmwareStatus.SUCCESS, m.snpInit());
        assertTrue(m.snpEnabled(1));
        assertEquals(WrmsrResult.WRITTEN, m.wrmsrRmpoptBase(0, RmpoptBase.ENABLE));
        assertTrue(m.rmpopt(0, 2 * GIB, RmpoptFunction.VERIFY_AND_REPORT_STATUS).carry());
        // legacy: SnpEn, the MSR and the bit survive; the next SNP_INIT zeroes the bit (I5)
        assertEquals(FirmwareStatus.SUCCESS, m.snpShutdown(ShutdownKind.LEGACY_SNP_SHUTDOWN_EX));
        assertTrue(m.snpEnabled(0));
        assertTrue(m.rmpopt(0, 2 * GIB, RmpoptFunction.REPORT_STATUS).carry());
        assertEquals(FirmwareStatus.SUCCESS, m.snpInit());
        assertFalse(m.rmpopt(0, 2 * GIB, RmpoptFunction.REPORT_STATUS).carry());
        assertTrue(m.rmpopt(0, 2 * GIB, RmpoptFunction.VERIFY_AND_REPORT_STATUS).carry());
        // X86: SnpEn cleared, checks off, RMPOPT #UD though the MSR stays; the kernel may write 0
        assertEquals(FirmwareStatus.SUCCESS, m.snpShutdown(ShutdownKind.X86_SNP_SHUTDOWN));
        assertFalse(m.snpEnabled(0));
        assertFalse(m.rmpChecksEnabled());
        assertEquals(RmpoptBase.ENABLE, m.rdmsrRmpoptBase(0).raw());
        assertEquals(RmpoptResult.UD, m.rmpopt(0, 2 * GIB, RmpoptFunction.REPORT_STATUS));
        assertEquals(WrmsrResult.WRITTEN, m.wrmsrRmpoptBase(0, 0));
        assertTrue(m.wrmsrRmpoptBase(0, RmpoptBase.ENABLE) instanceof WrmsrResult.GeneralProtection);
        assertEquals(FirmwareStatus.SUCCESS, m.snpInit());
        assertTrue(m.rmpChecksEnabled(), "SNP_INIT sets SnpEn again");
        assertEquals(WrmsrResult.WRITTEN, m.wrmsrRmpoptBase(0, RmpoptBase.ENABLE));
    }

    /** {@code model} seen through the SPI only, so that its observations are the SPI's RMPREAD-scan defaults. */
    private static SnpMachine throughDefaults(SpecModel model) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            try {
                return method.invoke(model, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (SnpMachine) Proxy.newProxyInstance(SnpMachine.class.getClassLoader(), new Class<?>[] {SnpMachine.class}, h);
    }

    @Test
    void observationsFromStoredEntriesEqualTheSpisRmpreadScan() {
        long seed = 20261202L;
        System.out.println("SpecModelTest observations seed " + seed);
        SplittableRandom r = new SplittableRandom(seed);
        SpecModel m = initialized(ModelOptions.DEFAULTS);
        SnpMachine scan = throughDefaults(m);
        for (int step = 1; step <= 240; step++) {
            long region = r.nextInt((int) HOST.regionCount());
            long range = Geometry.regionBase(region) + r.nextInt(4) * 128L * PAGE_2M + (r.nextBoolean() ? 0 : 511 * PAGE_2M);
            long spa = range + (r.nextBoolean() ? 0 : r.nextInt(512) * PAGE_4K);
            switch (r.nextInt(4)) {
                case 0 -> m.rmpUpdate(Geometry.alignDown(spa, PAGE_2M), RmpState.guestPrivate(1 + r.nextInt(3), 0, PageSize.SIZE_2M, false));
                case 1 -> m.rmpUpdate(spa, RmpState.guestPrivate(1 + r.nextInt(3), 0, PageSize.SIZE_4K, false));
                case 2 -> m.psmash(Accessor.HYPERVISOR, Geometry.alignDown(spa, PAGE_2M));
                default -> m.rmpUpdate(r.nextBoolean() ? spa : Geometry.alignDown(spa, PAGE_2M), r.nextBoolean() ? RmpState.shared() : RmpState.shared(PageSize.SIZE_2M));
            }
            if (step % 30 == 0) {
                for (long g = 0; g < HOST.regionCount(); g++) {
                    assertEquals(scan.assignedPages(g), m.assignedPages(g), "assignedPages(" + g + ") after step " + step + ", seed " + seed);
                    assertEquals(scan.firstAssignedPage(g), m.firstAssignedPage(g), "firstAssignedPage(" + g + ") after step " + step + ", seed " + seed);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> m.assignedPages(HOST.regionCount()));
        assertThrows(IllegalArgumentException.class, () -> m.firstAssignedPage(-1));
    }

    @Test
    void snpGuestAccessesFollowTheirView() {
        SpecModel m = initialized(ModelOptions.DEFAULTS);
        long page = GIB + 5 * PAGE_4K;
        assertEquals(RmpReturnCode.SUCCESS, m.rmpUpdate(page, RmpState.guestPrivate(2, 3 * PAGE_4K, PageSize.SIZE_4K, false)));
        assertEquals(new AccessOutcome.VmmCommunication(0x404), m.write(0, new Accessor.SnpGuest(2), page, MappingSize.SIZE_4K),
                "model §5.4: unvalidated, #VC 0x404");
        assertTrue(m.pvalidate(new Accessor.SnpGuest(2), page, PageSize.SIZE_4K, true).succeeded());
        assertEquals(AccessOutcome.CHECKED, m.write(0, new Accessor.SnpGuestView(2, true, 3 * PAGE_4K), page, MappingSize.SIZE_4K));
        assertInstanceOf(RmpFault.NestedPageFault.class, m.write(0, new Accessor.SnpGuestView(2, true, 0), page, MappingSize.SIZE_4K));
        assertEquals(AccessOutcome.CHECKED, m.write(0, new Accessor.SnpGuestView(2, false, 0), page + PAGE_4K, MappingSize.SIZE_4K));
        assertEquals(new RmpFault.NestedPageFault(RmpFault.NPF_RMP | RmpFault.NPF_FINAL | RmpFault.PF_PRESENT | RmpFault.PF_WRITE),
                m.write(0, new Accessor.SnpGuestView(2, false, 0), page, MappingSize.SIZE_4K));
    }
}
