package dev.rmpopt.tck;

import dev.rmpopt.api.AccessKind;
import dev.rmpopt.api.CpuMask;
import dev.rmpopt.api.Accessor;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.MappingSize;
import dev.rmpopt.api.PageSize;
import dev.rmpopt.api.RmpState;
import dev.rmpopt.api.RmpoptFunction;
import dev.rmpopt.api.ShutdownKind;
import dev.rmpopt.api.SnpMachine;

import java.util.ArrayList;
import java.util.List;

/**
 * One operation of a random sequence (model §4 and §5), as a plain value: it runs the same way on
 * the backend and on the kit's {@link SpecModel}, prints as one readable line, and offers simpler
 * variants of itself for the {@link Shrinker}. Steps hold concrete values only, so a list of steps
 * replays exactly, whatever state it meets. Reference fields may be {@code null}: the kit sends
 * out-of-contract arguments on purpose (SnpMachine's contract refuses them).
 *
 * <p>The IPI-round call {@link SnpMachine#rmpoptOnCpus} is the step {@link RmpoptRound}: the kit's
 * model answers it with the SPI's default (one RMPOPT per CPU), so a backend's override is held to
 * the single calls, result by result and event by event.
 */
sealed interface Step permits Step.RmpUpdate, Step.Psmash, Step.RmpRead, Step.Pvalidate, Step.SnpInit,
        Step.LaunchStart, Step.LaunchUpdate, Step.Decommission, Step.PageReclaim, Step.SnpShutdown,
        Step.WriteRmpoptBase, Step.ReadRmpoptBase, Step.Rmpopt, Step.RmpoptRound, Step.Access {

    /** Executes the operation and returns its raw result. */
    Object applyTo(SnpMachine machine);

    /** Variants of this step with simpler values (CPU 0, the hypervisor, a 4K mapping, GPA 0...). */
    default List<Step> simplifications() {
        return List.of();
    }

    /** The operation as one line for a counterexample. */
    String describe();

    /** RMPUPDATE by {@code caller}. */
    record RmpUpdate(Accessor caller, long spa, RmpState state) implements Step {
        @Override
        public Object applyTo(SnpMachine machine) {
            return machine.rmpUpdate(caller, spa, state);
        }

        @Override
        public List<Step> simplifications() {
            List<Step> out = new ArrayList<>();
            if (caller == null || state == null) {
                return out;
            }
            if (!(caller instanceof Accessor.Hypervisor)) {
                out.add(new RmpUpdate(Accessor.HYPERVISOR, spa, state));
            }
            if (state.gpa() != 0) {
                out.add(new RmpUpdate(caller, spa, new RmpState(state.assigned(), state.pageSize(), state.immutable(), state.asid(), 0)));
            }
            if (state.assigned() && state.asid() > 1) {
                out.add(new RmpUpdate(caller, spa, new RmpState(true, state.pageSize(), state.immutable(), 1, state.gpa())));
            }
            return out;
        }

        @Override
        public String describe() {
            return "RMPUPDATE " + Describe.page(spa) + " := " + Describe.state(state) + Describe.caller(caller);
        }
    }

    /** PSMASH by {@code caller}. */
    record Psmash(Accessor caller, long spa) implements Step {
        @Override
        public Object applyTo(SnpMachine machine) {
            return machine.psmash(caller, spa);
        }

        @Override
        public List<Step> simplifications() {
            return caller == null || caller instanceof Accessor.Hypervisor ? List.of() : List.of(new Psmash(Accessor.HYPERVISOR, spa));
        }

        @Override
        public String describe() {
            return "PSMASH " + Describe.page(spa) + Describe.caller(caller);
        }
    }

    /** RMPREAD. */
    record RmpRead(long spa) implements Step {
        @Override
        public Object applyTo(SnpMachine machine) {
            return machine.rmpRead(spa);
        }

        @Override
        public String describe() {
            return "RMPREAD " + Describe.page(spa);
        }
    }

    /** PVALIDATE by the SNP guest {@code guest}. */
    record Pvalidate(Accessor.SnpGuest guest, long spa, PageSize size, boolean validated) implements Step {
        /** PVALIDATE by the guest of {@code asid}. */
        Pvalidate(int asid, long spa, PageSize size, boolean validated) {
            this(new Accessor.SnpGuest(asid), spa, size, validated);
        }

        @Override
        public Object applyTo(SnpMachine machine) {
            return machine.pvalidate(guest, spa, size, validated);
        }

        @Override
        public String describe() {
            return "PVALIDATE by " + (guest == null ? "null guest" : "guest " + guest.asid()) + " " + Describe.page(spa) + " "
                    + Describe.size(size) + " validated=" + validated;
        }
    }

    /** SNP_INIT. */
    record SnpInit() implements Step {
        @Override
        public Object applyTo(SnpMachine machine) {
            return machine.snpInit();
        }

        @Override
        public String describe() {
            return "SNP_INIT";
        }
    }

    /** SNP_LAUNCH_START. */
    record LaunchStart(int asid, long contextPage) implements Step {
        @Override
        public Object applyTo(SnpMachine machine) {
            return machine.launchStart(asid, contextPage);
        }

        @Override
        public String describe() {
            return "SNP_LAUNCH_START asid " + asid + " context " + Describe.page(contextPage);
        }
    }

    /** SNP_LAUNCH_UPDATE. */
    record LaunchUpdate(int asid, long spa) implements Step {
        @Override
        public Object applyTo(SnpMachine machine) {
            return machine.launchUpdate(asid, spa);
        }

        @Override
        public String describe() {
            return "SNP_LAUNCH_UPDATE asid " + asid + " " + Describe.page(spa);
        }
    }

    /** SNP_DECOMMISSION. */
    record Decommission(int asid) implements Step {
        @Override
        public Object applyTo(SnpMachine machine) {
            return machine.decommission(asid);
        }

        @Override
        public String describe() {
            return "SNP_DECOMMISSION asid " + asid;
        }
    }

    /** SNP_PAGE_RECLAIM. */
    record PageReclaim(long spa) implements Step {
        @Override
        public Object applyTo(SnpMachine machine) {
            return machine.pageReclaim(spa);
        }

        @Override
        public String describe() {
            return "SNP_PAGE_RECLAIM " + Describe.page(spa);
        }
    }

    /** SNP_SHUTDOWN_EX, with X86_SNP_SHUTDOWN or the legacy one (model §4.8). */
    record SnpShutdown(ShutdownKind kind) implements Step {
        @Override
        public Object applyTo(SnpMachine machine) {
            return machine.snpShutdown(kind);
        }

        @Override
        public List<Step> simplifications() {
            return kind == ShutdownKind.LEGACY_SNP_SHUTDOWN_EX ? List.of(new SnpShutdown(ShutdownKind.X86_SNP_SHUTDOWN)) : List.of();
        }

        @Override
        public String describe() {
            return kind == null ? "SNP_SHUTDOWN null kind" : kind.command().name();
        }
    }

    /** WRMSR RMPOPT_BASE on {@code cpu}. */
    record WriteRmpoptBase(int cpu, long value) implements Step {
        @Override
        public Object applyTo(SnpMachine machine) {
            return machine.wrmsrRmpoptBase(cpu, value);
        }

        @Override
        public List<Step> simplifications() {
            return cpu == 0 ? List.of() : List.of(new WriteRmpoptBase(0, value));
        }

        @Override
        public String describe() {
            return "cpu " + cpu + ": WRMSR RMPOPT_BASE := " + Geometry.hex(value);
        }
    }

    /** RDMSR RMPOPT_BASE on {@code cpu} (the kit reads it after every step; as a step it probes bad CPUs). */
    record ReadRmpoptBase(int cpu) implements Step {
        @Override
        public Object applyTo(SnpMachine machine) {
            return machine.rdmsrRmpoptBase(cpu);
        }

        @Override
        public String describe() {
            return "cpu " + cpu + ": RDMSR RMPOPT_BASE";
        }
    }

    /** RMPOPT on {@code cpu}. */
    record Rmpopt(int cpu, long spa, RmpoptFunction function) implements Step {
        @Override
        public Object applyTo(SnpMachine machine) {
            return machine.rmpopt(cpu, spa, function);
        }

        @Override
        public List<Step> simplifications() {
            List<Step> out = new ArrayList<>();
            if (cpu != 0) {
                out.add(new Rmpopt(0, spa, function));
            }
            long region = Geometry.alignDown(spa, Geometry.REGION_1G);
            if (spa >= 0 && region != spa) {
                out.add(new Rmpopt(cpu, region, function));
            }
            return out;
        }

        @Override
        public String describe() {
            return "cpu " + cpu + ": RMPOPT " + (function == null ? "null function"
                    : function == RmpoptFunction.VERIFY_AND_REPORT_STATUS ? "VERIFY" : "REPORT")
                    + " " + Describe.page(spa) + Describe.region(spa);
        }
    }

    /** One IPI round: RMPOPT on every CPU of {@code cpus} ({@link SnpMachine#rmpoptOnCpus}). */
    record RmpoptRound(CpuMask cpus, long spa, RmpoptFunction function) implements Step {
        @Override
        public Object applyTo(SnpMachine machine) {
            return machine.rmpoptOnCpus(cpus, spa, function);
        }

        @Override
        public List<Step> simplifications() {
            List<Step> out = new ArrayList<>();
            if (cpus != null && cpus.count() > 1) {
                out.add(new RmpoptRound(CpuMask.of(cpus.nextCpu(0)), spa, function));
                out.add(new Rmpopt(cpus.nextCpu(0), spa, function));
            }
            long region = Geometry.alignDown(spa, Geometry.REGION_1G);
            if (spa >= 0 && region != spa) {
                out.add(new RmpoptRound(cpus, region, function));
            }
            return out;
        }

        @Override
        public String describe() {
            return "cpus " + cpus + ": RMPOPT round " + (function == null ? "null function"
                    : function == RmpoptFunction.VERIFY_AND_REPORT_STATUS ? "VERIFY" : "REPORT")
                    + " " + Describe.page(spa) + Describe.region(spa);
        }
    }

    /**
     * A memory access by {@code cpu} on behalf of {@code accessor}: through {@code access}, or on odd
     * pages through the {@code read} and {@code write} shorthands, which a backend may override.
     */
    record Access(int cpu, Accessor accessor, AccessKind kind, long spa, MappingSize mapping) implements Step {
        @Override
        public Object applyTo(SnpMachine machine) {
            if (((spa >>> 12) & 1) == 0 || kind == null) {
                return machine.access(cpu, accessor, kind, spa, mapping);
            }
            return kind == AccessKind.READ ? machine.read(cpu, accessor, spa, mapping) : machine.write(cpu, accessor, spa, mapping);
        }

        @Override
        public List<Step> simplifications() {
            List<Step> out = new ArrayList<>();
            if (cpu != 0) {
                out.add(new Access(0, accessor, kind, spa, mapping));
            }
            if (accessor == null || kind == null || mapping == null) {
                return out;
            }
            if (accessor instanceof Accessor.NonSnpGuest) {
                out.add(new Access(cpu, Accessor.HYPERVISOR, kind, spa, mapping));
            }
            if (mapping != MappingSize.SIZE_4K) {
                out.add(new Access(cpu, accessor, kind, spa, mapping == MappingSize.SIZE_1G ? MappingSize.SIZE_2M : MappingSize.SIZE_4K));
            }
            return out;
        }

        @Override
        public String describe() {
            return "cpu " + cpu + ": " + Describe.accessor(accessor) + " " + (kind == null ? "null-kind access" : kind.name().toLowerCase()) + " "
                    + Describe.page(spa) + " via " + Describe.mapping(mapping) + " mapping" + Describe.region(spa);
        }
    }
}
