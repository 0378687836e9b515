package dev.rmpopt.core.reference;

import static dev.rmpopt.api.Geometry.GIB;
import static dev.rmpopt.api.Geometry.PAGE_2M;
import static dev.rmpopt.api.Geometry.PAGE_4K;
import static dev.rmpopt.api.RmpoptFunction.REPORT_STATUS;
import static dev.rmpopt.api.RmpoptFunction.VERIFY_AND_REPORT_STATUS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rmpopt.api.AccessOutcome;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.ClearPolicy;
import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.PageState;
import dev.rmpopt.api.PvalidateResult;
import dev.rmpopt.api.RmpEntry;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.RmpFault;
import dev.rmpopt.api.RmpReadResult;
import dev.rmpopt.api.RmpReturnCode;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.RmpoptBase;
import dev.rmpopt.api.RmpoptResult;
import dev.rmpopt.api.RmpoptTableScope;
import dev.rmpopt.api.ShutdownKind;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.api.WrmsrResult;
import dev.rmpopt.core.TestHosts;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The reference backend against every rule of the model document it implements, on {@link Hosts#small()}. */
class ReferenceSnpMachineTest {

    static final Accessor HV = Accessor.HYPERVISOR;
    static final Accessor.SnpGuest GUEST = new Accessor.SnpGuest(5);
    static final long CLEAN = 4 * GIB + PAGE_2M;      // a page of region 4 (holds only HV_FIXED pages)
    static final long CLEAN_REGION = 4 * GIB;
    static final long LAST_CPU = 7;

    SnpMachine machine;
    HostDescription host;

    SnpMachine newMachine(ModelOptions options) {
        return new ReferenceBackendProvider().create(TestHosts.small(), options, RmpEventListener.NONE);
    }

    @BeforeEach
    void powerOn() {
        machine = newMachine(ModelOptions.DEFAULTS);
        host = machine.host();
    }

    /** SNP_INIT, then RMPOPT_BASE = 0 | enable on every core, as the kernel does (model §7). */
    void initAndEnable() {
        assertEquals(FirmwareStatus.SUCCESS, machine.snpInit());
        for (int cpu : host.topology().primaryThreads()) {
            assertEquals(WrmsrResult.WRITTEN, machine.wrmsrRmpoptBase(cpu, RmpoptBase.ENABLE));
        }
    }

    RmpEntry read(long spa) {
        return machine.rmpRead(spa).entry();
    }

    boolean reported(int cpu, long spa) {
        return machine.rmpopt(cpu, spa, REPORT_STATUS).carry();
    }

    /** Everything observable about the parts of the state a bad call could touch. */
    List<Object> snapshot() {
        List<Object> s = new ArrayList<>();
        for (long spa : new long[] {0, PAGE_4K, 1L << 20, CLEAN, CLEAN + PAGE_4K, 2 * GIB, 4 * GIB, 5 * GIB, 5 * GIB + PAGE_4K}) {
            s.add(machine.rmpRead(spa));
        }
        for (int cpu = 0; cpu < host.topology().cpuCount(); cpu++) {
            s.add(machine.rdmsrRmpoptBase(cpu));
            for (long region = 0; region < 9; region++) {
                s.add(machine.rmpopt(cpu, region * GIB, REPORT_STATUS));
            }
        }
        s.add(machine.isSnpInitialized());
        s.add(machine.rmpChecksEnabled());
        return s;
    }

    void assertChangesNothing(Consumer<SnpMachine> call) {
        List<Object> before = snapshot();
        call.accept(machine);
        assertEquals(before, snapshot());
    }

    @Nested
    @DisplayName("RMPUPDATE return codes (model §4)")
    class RmpUpdateCodes {
        @BeforeEach
        void init() {
            initAndEnable();
        }

        @Test
        void successWritesTheEntryWithValidatedAndVmsaClear() {
            assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(CLEAN, RmpState.guestPrivate(5, 0x1000, PageSize.SIZE_4K, false)));
            assertEquals(new RmpEntry(true, PageSize.SIZE_4K, false, false, false, 5, 0x1000), read(CLEAN));
            long highestGpa = RmpState.GPA_LIMIT - PAGE_4K;
            assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(CLEAN, RmpState.guestPrivate(5, highestGpa, PageSize.SIZE_4K, false)));
            assertEquals(highestGpa, read(CLEAN).gpa());
            assertEquals(PageState.GUEST_INVALID, read(CLEAN).state());
        }

        @Test
        void failInputForMisalignedHoleBeyondRamAndMalformedStates() {
            assertChangesNothing(m -> {
                assertEquals(RmpReturnCode.FAIL_INPUT, m.rmpUpdate(CLEAN + 1, RmpState.shared()));
                assertEquals(RmpReturnCode.FAIL_INPUT, m.rmpUpdate(3 * GIB + PAGE_2M, RmpState.shared()));
                assertEquals(RmpReturnCode.FAIL_INPUT, m.rmpUpdate(8 * GIB, RmpState.shared()));
                assertEquals(RmpReturnCode.FAIL_INPUT, m.rmpUpdate(CLEAN + PAGE_4K, RmpState.guestPrivate(5, 0, PageSize.SIZE_2M, false)));
                assertEquals(RmpReturnCode.FAIL_INPUT, m.rmpUpdate(CLEAN, RmpState.guestPrivate(1024, 0, PageSize.SIZE_4K, false)));
                assertEquals(RmpReturnCode.FAIL_INPUT, m.rmpUpdate(CLEAN, RmpState.guestPrivate(5, 0x123, PageSize.SIZE_4K, false)));
                assertEquals(RmpReturnCode.FAIL_INPUT, m.rmpUpdate(CLEAN, RmpState.guestPrivate(5, RmpState.GPA_LIMIT, PageSize.SIZE_4K, false)));
                assertEquals(RmpReturnCode.FAIL_INPUT, m.rmpUpdate(CLEAN, RmpState.guestPrivate(5, Long.MAX_VALUE & -PAGE_2M, PageSize.SIZE_2M, false)));
                assertEquals(RmpReturnCode.FAIL_INPUT, m.rmpUpdate(CLEAN, new RmpState(false, PageSize.SIZE_4K, false, 7, 0)));
                assertEquals(RmpReturnCode.FAIL_INPUT, m.rmpUpdate(CLEAN, new RmpState(false, PageSize.SIZE_4K, true, 0, 0)));
            });
        }

        @Test
        void a2mStateReachingIntoAHoleIsFailInput() {
            HostDescription odd = HostDescription.builder(host.topology())
                    .ram(0, 3 * GIB + PAGE_4K, 0).ram(4 * GIB, 8 * GIB, 1)
                    .rmpTable(host.rmpTable().get(0).start(), host.rmpTable().get(0).end())
                    .rmpTable(host.rmpTable().get(1).start(), host.rmpTable().get(1).end())
                    .build();
            SnpMachine m = new ReferenceBackendProvider().create(odd, ModelOptions.DEFAULTS, RmpEventListener.NONE);
            assertEquals(RmpReturnCode.FAIL_INPUT, m.rmpUpdate(3 * GIB, RmpState.guestPrivate(5, 0, PageSize.SIZE_2M, false)));
            assertEquals(RmpReturnCode.SUCCESS, m.rmpUpdate(3 * GIB, RmpState.guestPrivate(5, 0, PageSize.SIZE_4K, false)));
        }

        @Test
        void failPermissionForAGuestCallerOrAnImmutableEntry() {
            assertChangesNothing(m -> {
                assertEquals(RmpReturnCode.FAIL_PERMISSION, m.rmpUpdate(GUEST, CLEAN, RmpState.shared()));
                assertEquals(RmpReturnCode.FAIL_PERMISSION, m.rmpUpdate(new Accessor.NonSnpGuest(1), CLEAN, RmpState.shared()));
                assertEquals(RmpReturnCode.FAIL_PERMISSION, m.rmpUpdate(1L << 20, RmpState.shared()));
                assertEquals(RmpReturnCode.FAIL_PERMISSION, m.rmpUpdate(4 * GIB, RmpState.guestPrivate(5, 0, PageSize.SIZE_4K, false)));
                assertEquals(RmpReturnCode.FAIL_PERMISSION, m.rmpUpdate(4 * GIB, RmpState.guestPrivate(5, 0, PageSize.SIZE_2M, false)));
            });
        }

        @Test
        void failOverlapFor4kInsideAnAssigned2mAnd2mOverAssigned4k() {
            assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(CLEAN, RmpState.guestPrivate(5, 0, PageSize.SIZE_2M, false)));
            assertChangesNothing(m -> {
                assertEquals(RmpReturnCode.FAIL_OVERLAP, m.rmpUpdate(CLEAN + PAGE_4K, RmpState.shared()));
                assertEquals(RmpReturnCode.FAIL_OVERLAP, m.rmpUpdate(CLEAN, RmpState.shared()));
            });
            long other = CLEAN + PAGE_2M;
            assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(other + 7 * PAGE_4K, RmpState.guestPrivate(5, 0, PageSize.SIZE_4K, false)));
            assertEquals(RmpReturnCode.FAIL_OVERLAP, machine.rmpUpdate(other, RmpState.guestPrivate(5, 0, PageSize.SIZE_2M, false)));
            assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(other + PAGE_2M, RmpState.guestPrivate(5, 0, PageSize.SIZE_4K, false)));
            assertEquals(RmpReturnCode.FAIL_OVERLAP, machine.rmpUpdate(other + PAGE_2M, RmpState.guestPrivate(5, 0, PageSize.SIZE_2M, false)));
        }

        @Test
        void a4kUpdateInsideAnUnassigned2mEntrySplitsIt() {
            assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(CLEAN, RmpState.shared(PageSize.SIZE_2M)));
            assertEquals(PageSize.SIZE_2M, read(CLEAN + 9 * PAGE_4K).pageSize());
            assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(CLEAN + 9 * PAGE_4K, RmpState.guestPrivate(5, 0, PageSize.SIZE_4K, false)));
            assertTrue(read(CLEAN + 9 * PAGE_4K).assigned());
            assertEquals(RmpEntry.HYPERVISOR, read(CLEAN));
        }

        @Test
        void negativeAddressesAreNotAddresses() {
            assertChangesNothing(m -> {
                assertThrows(IllegalArgumentException.class, () -> m.rmpUpdate(-PAGE_4K, RmpState.shared()));
                assertThrows(IllegalArgumentException.class, () -> m.psmash(-PAGE_2M));
                assertThrows(IllegalArgumentException.class, () -> m.rmpRead(-1));
            });
        }
    }

    @Nested
    @DisplayName("PSMASH, RMPREAD and PVALIDATE (model §4)")
    class OtherInstructions {
        @BeforeEach
        void init() {
            initAndEnable();
        }

        @Test
        void psmashSplitsPreservingAttributesAndValidated() {
            machine.rmpUpdate(CLEAN, RmpState.guestPrivate(5, 4 * PAGE_2M, PageSize.SIZE_2M, false));
            assertTrue(machine.pvalidate(GUEST, CLEAN, PageSize.SIZE_2M, true).succeeded());
            assertEquals(RmpReturnCode.SUCCESS, machine.psmash(CLEAN));
            for (int i : new int[] {0, 1, 511}) {
                assertEquals(RmpEntry.guestValid(5, 4 * PAGE_2M + i * PAGE_4K, PageSize.SIZE_4K), read(CLEAN + i * PAGE_4K));
            }
        }

        @Test
        void psmashCodes() {
            assertChangesNothing(m -> {
                assertEquals(RmpReturnCode.FAIL_INPUT, m.psmash(CLEAN + PAGE_4K));
                assertEquals(RmpReturnCode.FAIL_INPUT, m.psmash(3 * GIB));
                assertEquals(RmpReturnCode.FAIL_NOT_EXPANDABLE, m.psmash(CLEAN));
                assertEquals(RmpReturnCode.FAIL_PERMISSION, m.psmash(GUEST, CLEAN));
            });
            machine.rmpUpdate(CLEAN, RmpState.shared(PageSize.SIZE_2M));
            assertEquals(RmpReturnCode.FAIL_NOT_EXPANDABLE, machine.psmash(CLEAN), "an unassigned 2M entry owns nothing to split");
        }

        @Test
        void rmpReadShowsThe2mEntryForEveryPageItCovers() {
            machine.rmpUpdate(CLEAN, RmpState.guestPrivate(5, 0, PageSize.SIZE_2M, false));
            assertEquals(read(CLEAN), read(CLEAN + 100 * PAGE_4K));
            assertEquals(new RmpReadResult.Failed(RmpReturnCode.FAIL_INPUT), machine.rmpRead(3 * GIB));
            assertEquals(new RmpReadResult.Failed(RmpReturnCode.FAIL_INPUT), machine.rmpRead(CLEAN + 8));
            assertThrows(IllegalStateException.class, () -> machine.rmpRead(3 * GIB).entry());
        }

        @Test
        void pvalidateSetsAndClearsAndReportsNoChange() {
            machine.rmpUpdate(CLEAN, RmpState.guestPrivate(5, 0, PageSize.SIZE_4K, false));
            assertEquals(PvalidateResult.success(false), machine.pvalidate(GUEST, CLEAN, PageSize.SIZE_4K, true));
            assertEquals(PageState.GUEST_VALID, read(CLEAN).state());
            assertEquals(PvalidateResult.success(true), machine.pvalidate(GUEST, CLEAN, PageSize.SIZE_4K, true));
            assertEquals(PvalidateResult.success(false), machine.pvalidate(GUEST, CLEAN, PageSize.SIZE_4K, false));
            assertEquals(PageState.GUEST_INVALID, read(CLEAN).state());
        }

        @Test
        void pvalidateFailures() {
            machine.rmpUpdate(CLEAN, RmpState.guestPrivate(5, 0, PageSize.SIZE_4K, false));
            machine.rmpUpdate(CLEAN + PAGE_2M, RmpState.guestPrivate(5, 0, PageSize.SIZE_2M, false));
            machine.rmpUpdate(CLEAN + 2 * PAGE_2M, RmpState.guestPrivate(5, 0, PageSize.SIZE_4K, true));
            // model §4.7: the only codes are 0, 1 and 6; the RMP check's failures are nested page faults
            PvalidateResult notOwn = PvalidateResult.nestedPageFault(false);
            assertChangesNothing(m -> {
                PvalidateResult inside2m = m.pvalidate(GUEST, CLEAN + PAGE_2M, PageSize.SIZE_4K, true);
                assertEquals(PvalidateResult.nestedPageFault(true), inside2m, "4K inside a 2M entry");
                assertEquals(RmpFault.NPF_RMP | RmpFault.NPF_FINAL | RmpFault.NPF_ENC | RmpFault.NPF_SIZEM | RmpFault.PF_PRESENT,
                        ((PvalidateResult.Faulted) inside2m).fault().exitInfo1());
                assertEquals(PvalidateResult.failed(RmpReturnCode.FAIL_SIZEMISMATCH), m.pvalidate(GUEST, CLEAN, PageSize.SIZE_2M, true),
                        "2M over 4K entries");
                assertEquals(PvalidateResult.failed(RmpReturnCode.FAIL_INPUT), m.pvalidate(GUEST, CLEAN + PAGE_4K, PageSize.SIZE_2M, true));
                assertEquals(notOwn, m.pvalidate(new Accessor.SnpGuest(6), CLEAN, PageSize.SIZE_4K, true), "another ASID's page");
                assertEquals(notOwn, m.pvalidate(GUEST, CLEAN + PAGE_4K, PageSize.SIZE_4K, true), "a hypervisor page");
                assertEquals(notOwn, m.pvalidate(GUEST, CLEAN + 2 * PAGE_2M, PageSize.SIZE_4K, true), "an immutable page");
                assertEquals(PvalidateResult.failed(RmpReturnCode.FAIL_INPUT), m.pvalidate(GUEST, 3 * GIB, PageSize.SIZE_4K, true));
            });
            assertThrows(IllegalArgumentException.class, () -> PvalidateResult.failed(RmpReturnCode.FAIL_PERMISSION),
                    "PVALIDATE never returns 2");
        }
    }

    @Nested
    @DisplayName("the page-state transitions KVM uses (model §4.4, §7.8)")
    class KvmFlows {
        static final long CONTEXT = 5 * GIB + 3 * PAGE_4K;

        @BeforeEach
        void init() {
            initAndEnable();
        }

        void launchGuest() {
            assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(CONTEXT, RmpState.firmware()));
            assertEquals(FirmwareStatus.SUCCESS, machine.launchStart(5, CONTEXT));
            assertEquals(PageState.CONTEXT, read(CONTEXT).state());
        }

        @Test
        void launchSharedThenPreGuestThenGuestValid() {
            launchGuest();
            assertEquals(PageState.HYPERVISOR, read(CLEAN).state());
            assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(CLEAN, RmpState.guestPrivate(5, 0, PageSize.SIZE_4K, true)));
            assertEquals(PageState.PRE_GUEST, read(CLEAN).state());
            assertEquals(FirmwareStatus.SUCCESS, machine.launchUpdate(5, CLEAN));
            assertEquals(PageState.GUEST_VALID, read(CLEAN).state());
        }

        @Test
        void launchUpdateFailures() {
            launchGuest();
            machine.rmpUpdate(CLEAN, RmpState.guestPrivate(6, 0, PageSize.SIZE_4K, true));
            assertChangesNothing(m -> {
                assertEquals(FirmwareStatus.INVALID_PAGE_OWNER, m.launchUpdate(5, CLEAN));
                assertEquals(FirmwareStatus.INVALID_GUEST, m.launchUpdate(6, CLEAN));
                assertEquals(FirmwareStatus.INVALID_PAGE_STATE, m.launchUpdate(5, CLEAN + PAGE_4K));
                assertEquals(FirmwareStatus.INVALID_ADDRESS, m.launchUpdate(5, 3 * GIB));
                assertEquals(FirmwareStatus.INVALID_ASID, m.launchUpdate(0, CLEAN));
            });
        }

        @Test
        void runtimePrivateAt4kAnd2mThenInvalidateWithAndWithoutPsmash() {
            launchGuest();
            long small = CLEAN;
            long large = CLEAN + PAGE_2M;
            assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(small, RmpState.guestPrivate(5, 0, PageSize.SIZE_4K, false)));
            assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(large, RmpState.guestPrivate(5, PAGE_2M, PageSize.SIZE_2M, false)));
            assertEquals(PageState.GUEST_INVALID, read(large + PAGE_4K).state());
            // invalidate a whole 2M entry: one 2M RMPUPDATE to shared
            assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(large, RmpState.shared(PageSize.SIZE_2M)));
            assertFalse(read(large + PAGE_4K).assigned());
            // invalidate part of a 2M entry: PSMASH first, then 4K RMPUPDATEs
            assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(large, RmpState.guestPrivate(5, PAGE_2M, PageSize.SIZE_2M, false)));
            assertEquals(RmpReturnCode.FAIL_OVERLAP, machine.rmpUpdate(large + PAGE_4K, RmpState.shared()));
            assertEquals(RmpReturnCode.SUCCESS, machine.psmash(large));
            assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(large + PAGE_4K, RmpState.shared()));
            assertFalse(read(large + PAGE_4K).assigned());
            assertTrue(read(large).assigned());
            assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(small, RmpState.shared()));
            assertEquals(PageState.HYPERVISOR, read(small).state());
        }

        @Test
        void teardownDecommissionReclaimAndShare() {
            launchGuest();
            machine.rmpUpdate(CLEAN, RmpState.guestPrivate(5, 0, PageSize.SIZE_4K, true));
            assertEquals(FirmwareStatus.INVALID_PLATFORM_STATE, machine.snpShutdown(ShutdownKind.X86_SNP_SHUTDOWN), "a live guest blocks SNP_SHUTDOWN");
            assertEquals(FirmwareStatus.INVALID_PAGE_STATE, machine.pageReclaim(CLEAN), "the guest is alive");
            assertEquals(FirmwareStatus.SUCCESS, machine.decommission(5));
            assertEquals(PageState.FIRMWARE, read(CONTEXT).state());
            assertEquals(FirmwareStatus.INVALID_GUEST, machine.decommission(5));
            assertEquals(RmpReturnCode.FAIL_PERMISSION, machine.rmpUpdate(CLEAN, RmpState.shared()), "PRE_GUEST is immutable");
            assertEquals(FirmwareStatus.SUCCESS, machine.pageReclaim(CLEAN));
            assertEquals(PageState.RECLAIM, read(CLEAN).state());
            assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(CLEAN, RmpState.shared()));
            assertEquals(FirmwareStatus.SUCCESS, machine.pageReclaim(CONTEXT));
            assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(CONTEXT, RmpState.shared()));
            assertEquals(PageState.HYPERVISOR, read(CONTEXT).state());
            assertEquals(FirmwareStatus.INVALID_PAGE_STATE, machine.pageReclaim(1L << 20), "the firmware's own pages stay");
            assertEquals(FirmwareStatus.SUCCESS, machine.snpShutdown(ShutdownKind.X86_SNP_SHUTDOWN));
        }

        @Test
        void launchStartFailures() {
            assertChangesNothing(m -> {
                assertEquals(FirmwareStatus.INVALID_PAGE_STATE, m.launchStart(5, CONTEXT), "not a firmware page");
                assertEquals(FirmwareStatus.INVALID_PAGE_STATE, m.launchStart(5, 1L << 20), "the firmware's own page");
                assertEquals(FirmwareStatus.INVALID_ADDRESS, m.launchStart(5, 3 * GIB));
                assertEquals(FirmwareStatus.INVALID_ADDRESS, m.launchStart(5, -PAGE_4K));
                assertEquals(FirmwareStatus.INVALID_ASID, m.launchStart(0, CONTEXT));
                assertEquals(FirmwareStatus.INVALID_ASID, m.launchStart(1024, CONTEXT));
            });
            launchGuest();
            machine.rmpUpdate(CONTEXT + PAGE_4K, RmpState.firmware());
            assertEquals(FirmwareStatus.ASID_OWNED, machine.launchStart(5, CONTEXT + PAGE_4K));
        }
    }

    @Nested
    @DisplayName("firmware and RMPOPT_BASE (model §4)")
    class Firmware {
        @Test
        void beforeSnpInitWritesAreUncheckedAndRmpoptIsUdUntilProgrammed() {
            assertFalse(machine.rmpChecksEnabled());
            assertFalse(machine.snpEnabled(3), "SnpEn is clear at power-on (model §4.2)");
            machine.rmpUpdate(CLEAN, RmpState.guestPrivate(5, 0, PageSize.SIZE_4K, false));
            assertEquals(AccessOutcome.UNCHECKED, machine.write(0, HV, CLEAN, MappingSize.SIZE_4K));
            assertEquals(RmpoptResult.UD, machine.rmpopt(0, 0, REPORT_STATUS));
            assertInstanceOf(WrmsrResult.GeneralProtection.class, machine.wrmsrRmpoptBase(0, RmpoptBase.ENABLE), "RMPOPT_EN needs SnpEn");
            assertEquals(WrmsrResult.WRITTEN, machine.wrmsrRmpoptBase(0, 0), "a disabling write does not");
            assertEquals(FirmwareStatus.INVALID_PLATFORM_STATE, machine.snpShutdown(ShutdownKind.LEGACY_SNP_SHUTDOWN_EX));
            assertEquals(FirmwareStatus.INVALID_PLATFORM_STATE, machine.launchStart(5, CLEAN));
        }

        @Test
        void bitsSetBeforeSnpInitAreZeroedByIt() {
            // v1-v3 programmed RMPOPT at boot, before SNP_INIT, with SnpEn set at boot; region 0 verifies
            // clean until SNP_INIT hands its firmware pages to the firmware, so SNP_INIT must zero the tables (I1, I5)
            machine = newMachine(ModelOptions.DEFAULTS.withSnpEnabledAtPowerOn(true));
            assertEquals(WrmsrResult.WRITTEN, machine.wrmsrRmpoptBase(0, RmpoptBase.ENABLE));
            assertEquals(RmpoptResult.CARRY_SET, machine.rmpopt(0, 0, VERIFY_AND_REPORT_STATUS));
            assertEquals(RmpoptResult.CARRY_SET, machine.rmpopt(4, CLEAN_REGION, VERIFY_AND_REPORT_STATUS));
            assertEquals(AccessOutcome.SKIPPED, machine.write(0, HV, CLEAN, MappingSize.SIZE_4K), "the bit is consulted first");
            assertEquals(AccessOutcome.CHECKED, machine.write(1, HV, CLEAN, MappingSize.SIZE_4K), "SnpEn set: RMP checks on");
            assertEquals(FirmwareStatus.SUCCESS, machine.snpInit());
            assertFalse(reported(0, 0));
            assertFalse(reported(4, CLEAN_REGION));
            assertEquals(new RmpoptBase(0, true), machine.rdmsrRmpoptBase(0), "SNP_INIT leaves the MSR");
        }

        @Test
        void snpInitMarksRmpAndFirmwarePagesAndHvFixed() {
            assertEquals(FirmwareStatus.SUCCESS, machine.snpInit());
            assertEquals(PageState.FIRMWARE, read(1L << 20).state());
            assertEquals(PageState.FIRMWARE, read(host.rmpTable().get(1).start()).state());
            assertEquals(PageState.HV_FIXED, read(4 * GIB).state());
            assertEquals(PageState.FIRMWARE, read(3 * GIB - PAGE_4K).state());
            assertEquals(PageState.HYPERVISOR, read(0).state());
            assertTrue(machine.rmpChecksEnabled());
            assertEquals(FirmwareStatus.INVALID_PLATFORM_STATE, machine.snpInit());
        }

        @Test
        void snpInitZeroesEveryTable() {
            initAndEnable();
            for (int cpu = 0; cpu < 4; cpu++) {
                assertTrue(machine.rmpopt(cpu, CLEAN_REGION, VERIFY_AND_REPORT_STATUS).carry());
            }
            // the legacy shutdown keeps SnpEn, every MSR and every bit (model §4.8)
            assertEquals(FirmwareStatus.SUCCESS, machine.snpShutdown(ShutdownKind.LEGACY_SNP_SHUTDOWN_EX));
            assertEquals(new RmpoptBase(0, true), machine.rdmsrRmpoptBase(5));
            assertTrue(machine.rmpChecksEnabled(), "the legacy shutdown leaves RMP checks on");
            assertTrue(machine.snpEnabled(5));
            assertTrue(reported(2, CLEAN_REGION), "nobody wrote RMPOPT_BASE");
            assertEquals(FirmwareStatus.SUCCESS, machine.snpInit());
            for (int cpu = 0; cpu < 8; cpu++) {
                assertFalse(reported(cpu, CLEAN_REGION));
            }
        }

        @Test
        void x86SnpShutdownClearsSnpEnTurnsChecksOffAndMakesRmpoptUd() {
            initAndEnable();
            assertTrue(machine.rmpopt(0, CLEAN_REGION, VERIFY_AND_REPORT_STATUS).carry());
            assertEquals(FirmwareStatus.SUCCESS, machine.snpShutdown(ShutdownKind.X86_SNP_SHUTDOWN));
            assertFalse(machine.snpEnabled(0));
            assertFalse(machine.rmpChecksEnabled());
            assertEquals(new RmpoptBase(0, true), machine.rdmsrRmpoptBase(0), "the firmware writes no MSR");
            assertEquals(RmpoptResult.UD, machine.rmpopt(0, CLEAN_REGION, REPORT_STATUS), "RMPOPT is unusable without SnpEn");
            assertEquals(AccessOutcome.SKIPPED, machine.write(0, HV, CLEAN, MappingSize.SIZE_4K), "the bit is consulted first");
            // the kernel's rmpopt_cleanup writes 0: allowed without SnpEn, and it resets the table
            assertEquals(WrmsrResult.WRITTEN, machine.wrmsrRmpoptBase(0, 0));
            assertEquals(AccessOutcome.UNCHECKED, machine.write(0, HV, CLEAN, MappingSize.SIZE_4K), "checks are off");
            assertInstanceOf(WrmsrResult.GeneralProtection.class, machine.wrmsrRmpoptBase(0, RmpoptBase.ENABLE));
            assertEquals(FirmwareStatus.SUCCESS, machine.snpInit());
            assertTrue(machine.snpEnabled(0), "SNP_INIT sets SnpEn again");
            assertEquals(WrmsrResult.WRITTEN, machine.wrmsrRmpoptBase(0, RmpoptBase.ENABLE));
            assertTrue(machine.rmpopt(0, CLEAN_REGION, VERIFY_AND_REPORT_STATUS).carry());
        }

        @Test
        void msrRefusesReservedBitsAndWithoutSegmentedRmp() {
            initAndEnable();
            assertChangesNothing(m -> {
                assertInstanceOf(WrmsrResult.GeneralProtection.class, m.wrmsrRmpoptBase(0, 0x2));
                assertInstanceOf(WrmsrResult.GeneralProtection.class, m.wrmsrRmpoptBase(0, -1L));
                assertInstanceOf(WrmsrResult.GeneralProtection.class, m.wrmsrRmpoptBase(0, (1L << 52) | 1),
                        "bits beyond the physical address width are reserved");
            });
            HostDescription flat = HostDescription.builder(host.topology()).ram(0, 3 * GIB, 0).ram(4 * GIB, 8 * GIB, 1)
                    .rmpTable(host.rmpTable().get(0).start(), host.rmpTable().get(0).end())
                    .rmpTable(host.rmpTable().get(1).start(), host.rmpTable().get(1).end())
                    .segmentedRmp(false).build();
            SnpMachine m = new ReferenceBackendProvider().create(flat, ModelOptions.DEFAULTS, RmpEventListener.NONE);
            m.snpInit();
            assertInstanceOf(WrmsrResult.GeneralProtection.class, m.wrmsrRmpoptBase(0, 1));
            assertEquals(RmpoptBase.DISABLED, m.rdmsrRmpoptBase(0));
        }

        @Test
        void msrIsPerCoreAndReadableFromEitherThread() {
            initAndEnable();
            assertEquals(WrmsrResult.WRITTEN, machine.wrmsrRmpoptBase(5, 4 * GIB | 1));
            assertEquals(new RmpoptBase(4 * GIB, true), machine.rdmsrRmpoptBase(1));
            assertEquals(new RmpoptBase(0, true), machine.rdmsrRmpoptBase(0));
        }

        @Test
        void aNewWindowResetsTheCoresTable() {
            initAndEnable();
            assertTrue(machine.rmpopt(0, CLEAN_REGION, VERIFY_AND_REPORT_STATUS).carry());
            machine.wrmsrRmpoptBase(0, RmpoptBase.ENABLE);
            assertFalse(reported(0, CLEAN_REGION));
        }
    }

    @Nested
    @DisplayName("RMPOPT (model §4)")
    class Rmpopt {
        @BeforeEach
        void init() {
            initAndEnable();
        }

        @Test
        void undefinedOpcodeOnADisabledCore() {
            machine.wrmsrRmpoptBase(2, 0);
            assertChangesNothing(m -> {
                assertEquals(RmpoptResult.UD, m.rmpopt(2, CLEAN_REGION, VERIFY_AND_REPORT_STATUS));
                assertEquals(RmpoptResult.UD, m.rmpopt(6, CLEAN_REGION, REPORT_STATUS), "the sibling shares the MSR");
            });
        }

        @Test
        void verifySetsAndReportsReportChangesNothing() {
            assertFalse(reported(0, CLEAN_REGION));
            assertEquals(RmpoptResult.CARRY_SET, machine.rmpopt(0, CLEAN_REGION + 12345, VERIFY_AND_REPORT_STATUS));
            assertTrue(reported(0, CLEAN_REGION));
            assertTrue(reported(0, CLEAN_REGION + GIB - 1));
            assertFalse(reported(1, CLEAN_REGION), "another core did not verify");
        }

        @Test
        void smtSiblingsShareATable() {
            machine.rmpopt(4, CLEAN_REGION, VERIFY_AND_REPORT_STATUS);
            assertTrue(reported(0, CLEAN_REGION));
            assertTrue(reported(4, CLEAN_REGION));
            assertFalse(reported(5, CLEAN_REGION));
        }

        @Test
        void perLogicalCpuTablesAreAnOption() {
            machine = newMachine(ModelOptions.DEFAULTS.withTableScope(RmpoptTableScope.PER_LOGICAL_CPU));
            initAndEnable();
            machine.rmpopt(4, CLEAN_REGION, VERIFY_AND_REPORT_STATUS);
            assertTrue(reported(4, CLEAN_REGION));
            assertFalse(reported(0, CLEAN_REGION));
        }

        @Test
        void outsideTheWindowIsCarryClearAndNoChange() {
            machine = newMachine(ModelOptions.DEFAULTS.withWindowBytes(2 * GIB));
            initAndEnable();
            machine.wrmsrRmpoptBase(1, 4 * GIB | 1);
            assertEquals(RmpoptResult.CARRY_CLEAR, machine.rmpopt(0, CLEAN_REGION, VERIFY_AND_REPORT_STATUS), "region 4 is past [0, 2 GiB)");
            assertEquals(RmpoptResult.CARRY_SET, machine.rmpopt(0, GIB, VERIFY_AND_REPORT_STATUS), "region 1 is the window's last");
            assertEquals(RmpoptResult.CARRY_CLEAR, machine.rmpopt(1, GIB, VERIFY_AND_REPORT_STATUS), "below core 1's base");
            assertEquals(RmpoptResult.CARRY_SET, machine.rmpopt(1, 5 * GIB, VERIFY_AND_REPORT_STATUS));
            assertEquals(RmpoptResult.CARRY_CLEAR, machine.rmpopt(1, 6 * GIB, VERIFY_AND_REPORT_STATUS));
        }

        @Test
        void regionsHoldingRmpOrFirmwarePagesNeverOptimize() {
            for (int cpu = 0; cpu < 8; cpu++) {
                assertEquals(RmpoptResult.CARRY_CLEAR, machine.rmpopt(cpu, 0, VERIFY_AND_REPORT_STATUS), "firmware pages");
                assertEquals(RmpoptResult.CARRY_CLEAR, machine.rmpopt(cpu, 2 * GIB, VERIFY_AND_REPORT_STATUS), "RMP segment 0");
                assertEquals(RmpoptResult.CARRY_CLEAR, machine.rmpopt(cpu, 7 * GIB, VERIFY_AND_REPORT_STATUS), "RMP segment 1");
            }
        }

        @Test
        void hvFixedPagesAndHolesDoNotBlock() {
            assertTrue(machine.rmpopt(0, 4 * GIB, VERIFY_AND_REPORT_STATUS).carry(), "region 4 holds HV_FIXED pages");
            assertTrue(machine.rmpopt(0, 3 * GIB, VERIFY_AND_REPORT_STATUS).carry(), "region 3 is the MMIO hole");
        }

        @Test
        void aRegionBeyondRamNeverOptimizes() {
            assertEquals(RmpoptResult.CARRY_CLEAR, machine.rmpopt(0, 8 * GIB, VERIFY_AND_REPORT_STATUS));
        }

        @Test
        void anAssignedPageAnywhereInTheRegionBlocksVerify() {
            for (long offset : new long[] {0, GIB - PAGE_4K, GIB / 2}) {
                machine.rmpUpdate(5 * GIB + offset, RmpState.guestPrivate(5, 0, PageSize.SIZE_4K, false));
                assertEquals(RmpoptResult.CARRY_CLEAR, machine.rmpopt(0, 5 * GIB, VERIFY_AND_REPORT_STATUS));
                machine.rmpUpdate(5 * GIB + offset, RmpState.shared());
            }
            machine.rmpUpdate(5 * GIB + GIB - PAGE_2M, RmpState.guestPrivate(5, 0, PageSize.SIZE_2M, false));
            assertEquals(RmpoptResult.CARRY_CLEAR, machine.rmpopt(0, 5 * GIB, VERIFY_AND_REPORT_STATUS), "a 2M entry counts");
        }

        @Test
        void rmpUpdateClearsTheRegionOnEveryCore() {
            for (int cpu = 0; cpu < 4; cpu++) {
                machine.rmpopt(cpu, CLEAN_REGION, VERIFY_AND_REPORT_STATUS);
                machine.rmpopt(cpu, 5 * GIB, VERIFY_AND_REPORT_STATUS);
            }
            machine.rmpUpdate(CLEAN, RmpState.guestPrivate(5, 0, PageSize.SIZE_4K, false));
            for (int cpu = 0; cpu < 8; cpu++) {
                assertFalse(reported(cpu, CLEAN_REGION));
                assertTrue(reported(cpu, 5 * GIB), "other regions keep their bits");
            }
        }

        @ParameterizedTest
        @EnumSource(ClearPolicy.class)
        void aTransitionToSharedClearsUnlessAssignOnly(ClearPolicy policy) {
            machine = newMachine(ModelOptions.DEFAULTS.withClearPolicy(policy));
            initAndEnable();
            machine.rmpopt(0, CLEAN_REGION, VERIFY_AND_REPORT_STATUS);
            assertEquals(RmpReturnCode.SUCCESS, machine.rmpUpdate(CLEAN, RmpState.shared()));
            assertEquals(policy == ClearPolicy.ASSIGN_ONLY, reported(0, CLEAN_REGION));
        }

        @Test
        void badCpusAndAddresses() {
            assertChangesNothing(m -> {
                assertThrows(IllegalArgumentException.class, () -> m.rmpopt(8, 0, VERIFY_AND_REPORT_STATUS));
                assertThrows(IllegalArgumentException.class, () -> m.rmpopt(-1, 0, VERIFY_AND_REPORT_STATUS));
                assertThrows(IllegalArgumentException.class, () -> m.rmpopt(0, -GIB, VERIFY_AND_REPORT_STATUS));
                assertThrows(IllegalArgumentException.class, () -> m.wrmsrRmpoptBase(8, 1));
                assertThrows(IllegalArgumentException.class, () -> m.rdmsrRmpoptBase(99));
            });
        }
    }

    @Nested
    @DisplayName("write checks (model §5)")
    class WriteChecks {
        static final long PRIVATE = 5 * GIB + PAGE_2M + 3 * PAGE_4K;

        @BeforeEach
        void init() {
            initAndEnable();
            machine.rmpUpdate(PRIVATE, RmpState.guestPrivate(5, 0, PageSize.SIZE_4K, false));
            machine.pvalidate(GUEST, PRIVATE, PageSize.SIZE_4K, true);
        }

        @Test
        void fourKMappingsCheckOnlyTheirPage() {
            assertEquals(AccessOutcome.CHECKED, machine.write(0, HV, PRIVATE + PAGE_4K, MappingSize.SIZE_4K));
            assertEquals(new RmpFault.HostPageFault(RmpFault.PF_PRESENT | RmpFault.PF_WRITE | RmpFault.PF_RMP),
                    machine.write(0, HV, PRIVATE, MappingSize.SIZE_4K));
        }

        @ParameterizedTest
        @EnumSource(value = MappingSize.class, names = {"SIZE_2M", "SIZE_1G"})
        void largeMappingsCheckTheWhole2mRangeAndNoMore(MappingSize mapping) {
            long sameRange = PRIVATE - 3 * PAGE_4K + 100 * PAGE_4K;
            long nextRange = PRIVATE - 3 * PAGE_4K + PAGE_2M;
            assertInstanceOf(RmpFault.HostPageFault.class, machine.write(0, HV, sameRange, mapping));
            assertEquals(AccessOutcome.CHECKED, machine.write(0, HV, nextRange, mapping), "1G is checked as 2M");
        }

        @Test
        void guestFaultsAreNestedPageFaultsWithBit31() {
            RmpFault fault = (RmpFault) machine.write(1, new Accessor.NonSnpGuest(2), PRIVATE, MappingSize.SIZE_4K);
            assertEquals(RmpFault.NPF_RMP | RmpFault.NPF_FINAL | RmpFault.PF_PRESENT | RmpFault.PF_WRITE, fault.errorCode());
            assertInstanceOf(RmpFault.NestedPageFault.class, fault);
        }

        @Test
        void readsByHostSideAccessorsAreNeverChecked() {
            assertEquals(AccessOutcome.UNCHECKED, machine.read(0, HV, PRIVATE, MappingSize.SIZE_4K));
            assertEquals(AccessOutcome.UNCHECKED, machine.read(0, new Accessor.NonSnpGuest(1), PRIVATE, MappingSize.SIZE_2M));
        }

        @Test
        void snpGuestsAreAlwaysCheckedAndNeverSkipped() {
            machine.rmpopt(0, CLEAN_REGION, VERIFY_AND_REPORT_STATUS);
            assertEquals(AccessOutcome.CHECKED, machine.read(0, GUEST, PRIVATE, MappingSize.SIZE_4K));
            assertEquals(AccessOutcome.CHECKED, machine.write(0, GUEST, PRIVATE, MappingSize.SIZE_4K));
            RmpFault other = (RmpFault) machine.write(0, new Accessor.SnpGuest(6), PRIVATE, MappingSize.SIZE_4K);
            assertEquals(RmpFault.NPF_RMP | RmpFault.NPF_FINAL | RmpFault.NPF_ENC | RmpFault.PF_PRESENT | RmpFault.PF_WRITE, other.errorCode());
            assertInstanceOf(RmpFault.class, machine.write(0, GUEST, CLEAN, MappingSize.SIZE_4K), "a shared page is no private page");
        }

        @Test
        void snpGuestsPrivateAndSharedViews() {
            // model §5.4: private (C=1) needs the guest's own mutable page at the GPA, validated (else #VC 0x404)
            long npf = RmpFault.NPF_RMP | RmpFault.NPF_FINAL | RmpFault.PF_PRESENT | RmpFault.PF_WRITE;
            assertEquals(AccessOutcome.CHECKED, machine.write(0, new Accessor.SnpGuestView(5, true, 8), PRIVATE, MappingSize.SIZE_4K));
            assertEquals(new RmpFault.NestedPageFault(npf | RmpFault.NPF_ENC),
                    machine.write(0, new Accessor.SnpGuestView(5, true, PAGE_4K), PRIVATE, MappingSize.SIZE_4K), "another GPA");
            assertEquals(new RmpFault.NestedPageFault(npf | RmpFault.NPF_ENC | RmpFault.NPF_SIZEM),
                    machine.write(0, GUEST, PRIVATE, MappingSize.SIZE_2M), "a 2M mapping over a 4K entry");
            machine.rmpUpdate(PRIVATE + PAGE_4K, RmpState.guestPrivate(5, PAGE_4K, PageSize.SIZE_4K, false));
            assertEquals(AccessOutcome.VC_PAGE_NOT_VALIDATED, machine.read(0, GUEST, PRIVATE + PAGE_4K, MappingSize.SIZE_4K));
            assertEquals(0x404, AccessOutcome.VC_PAGE_NOT_VALIDATED.errorCode());
            assertFalse(AccessOutcome.VC_PAGE_NOT_VALIDATED.allowed());
            machine.rmpUpdate(PRIVATE + 2 * PAGE_4K, RmpState.guestPrivate(5, 2 * PAGE_4K, PageSize.SIZE_4K, true));
            assertInstanceOf(RmpFault.NestedPageFault.class, machine.write(0, GUEST, PRIVATE + 2 * PAGE_4K, MappingSize.SIZE_4K),
                    "an immutable (PRE_GUEST) page");
            // shared (C=0): a write gets the hypervisor-owned check, never RMPOPT; a read is not checked
            Accessor.SnpGuestView shared = new Accessor.SnpGuestView(5, false, 0);
            assertTrue(machine.rmpopt(0, CLEAN_REGION, VERIFY_AND_REPORT_STATUS).carry());
            assertEquals(AccessOutcome.CHECKED, machine.write(0, shared, CLEAN, MappingSize.SIZE_4K), "checked, not skipped");
            assertEquals(new RmpFault.NestedPageFault(npf), machine.write(0, shared, PRIVATE, MappingSize.SIZE_4K), "no encrypted bit");
            assertInstanceOf(RmpFault.NestedPageFault.class, machine.write(0, shared, PRIVATE + 100 * PAGE_4K, MappingSize.SIZE_2M));
            assertEquals(AccessOutcome.UNCHECKED, machine.read(0, shared, PRIVATE, MappingSize.SIZE_4K));
            // a 2M entry: the GPA of a page is the entry's plus its offset; a 4K mapping inside it is fine
            long large = CLEAN + 4 * PAGE_2M;
            machine.rmpUpdate(large, RmpState.guestPrivate(5, 8 * PAGE_2M, PageSize.SIZE_2M, false));
            machine.pvalidate(GUEST, large, PageSize.SIZE_2M, true);
            assertEquals(AccessOutcome.CHECKED, machine.write(0, new Accessor.SnpGuestView(5, true, 8 * PAGE_2M + 7 * PAGE_4K),
                    large + 7 * PAGE_4K, MappingSize.SIZE_4K));
        }

        @Test
        void aVerifiedRegionSkipsTheCheckOnItsCoreOnly() {
            machine.rmpopt(1, CLEAN_REGION, VERIFY_AND_REPORT_STATUS);
            assertEquals(AccessOutcome.SKIPPED, machine.write(1, HV, CLEAN, MappingSize.SIZE_1G));
            assertEquals(AccessOutcome.SKIPPED, machine.write(5, new Accessor.NonSnpGuest(1), CLEAN, MappingSize.SIZE_4K));
            assertEquals(AccessOutcome.CHECKED, machine.write(0, HV, CLEAN, MappingSize.SIZE_4K));
        }

        @Test
        void accessesToNonRamOrFromMissingCpusAreRejected() {
            assertChangesNothing(m -> {
                assertThrows(IllegalArgumentException.class, () -> m.write(0, HV, 3 * GIB, MappingSize.SIZE_4K));
                assertThrows(IllegalArgumentException.class, () -> m.write(0, HV, 8 * GIB, MappingSize.SIZE_4K));
                assertThrows(IllegalArgumentException.class, () -> m.write(0, HV, -1, MappingSize.SIZE_4K));
                assertThrows(IllegalArgumentException.class, () -> m.read(8, HV, 0, MappingSize.SIZE_4K));
            });
        }
    }

    @Test
    void aLargeMappingOverThePartialLast2mRangeChecksOnlyItsPages() {
        HostDescription ragged = HostDescription.builder(host.topology())
                .ram(0, 3 * GIB, 0).ram(4 * GIB, 8 * GIB - PAGE_4K, 1)
                .rmpTable(host.rmpTable().get(0).start(), host.rmpTable().get(0).end())
                .rmpTable(5 * GIB, 5 * GIB + (32L << 20) + PAGE_2M)
                .build();
        SnpMachine m = new ReferenceBackendProvider().create(ragged, ModelOptions.DEFAULTS, RmpEventListener.NONE);
        m.snpInit();
        long last = 8 * GIB - 2 * PAGE_4K;
        assertEquals(AccessOutcome.CHECKED, m.write(0, HV, last, MappingSize.SIZE_2M));
        m.rmpUpdate(last, RmpState.guestPrivate(5, 0, PageSize.SIZE_4K, false));
        assertInstanceOf(RmpFault.HostPageFault.class, m.write(0, HV, last - PAGE_2M / 2, MappingSize.SIZE_1G));
    }

    @Test
    void aHostTooLargeForThePageArrayIsRefusedClearly() {
        HostDescription big = HostDescription.standard(TestHosts.small().topology(), 128 * GIB);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReferenceBackendProvider().create(big, ModelOptions.DEFAULTS, RmpEventListener.NONE));
        assertTrue(e.getMessage().contains("scalable"));
    }

    @Test
    void theProviderIsFoundByName() {
        assertEquals(ReferenceBackendProvider.class, dev.rmpopt.api.RmpBackendProvider.named("reference").getClass());
        assertThrows(java.util.NoSuchElementException.class, () -> dev.rmpopt.api.RmpBackendProvider.named("nope"));
    }
}
