package dev.rmpopt.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.ProvisionException;
import dev.rmpopt.api.CpuTopology;
import dev.rmpopt.api.FirmwareStatus;
import dev.rmpopt.api.Geometry;
import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.SnpMachine;
import dev.rmpopt.core.RmpCoreModule;
import dev.rmpopt.kvm.RmpoptDriver;
import dev.rmpopt.kvm.SetupResult;
import dev.rmpopt.telemetry.DebugfsRmpoptTable;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The main job: builds a host, runs SNP_INIT and the kernel's boot pass (SPEC 7), and prints the
 * debugfs {@code rmpopt-table} on standard output exactly as the kernel would. What the kernel
 * logs and a summary go to standard error, so the table can be compared or piped as it is.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Boot a host: SNP_INIT, the kernel's RMPOPT setup and first pass; print the debugfs rmpopt-table.")
final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--backend", description = "RMP backend by name (default: ${DEFAULT-VALUE}).")
    String backend = RmpCoreModule.DEFAULT_BACKEND;

    @Option(names = "--sockets", description = "Sockets (default: ${DEFAULT-VALUE}).")
    int sockets = 2;

    @Option(names = "--cores-per-socket", description = "Physical cores per socket (default: ${DEFAULT-VALUE}).")
    int coresPerSocket = 256;

    @Option(names = "--threads-per-core", description = "SMT threads per core, 1 or 2 (default: ${DEFAULT-VALUE}).")
    int threadsPerCore = 2;

    @Option(names = "--numa-nodes-per-socket", description = "NUMA nodes per socket, NPS (default: ${DEFAULT-VALUE}).")
    int numaNodesPerSocket = 1;

    @Option(names = "--memory-gib", description = "Top of RAM in GiB; the MMIO hole [3, 4) GiB is carved out (default: ${DEFAULT-VALUE}).")
    long memoryGib = 2048;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HostDescription host;
        try {
            host = HostDescription.standard(
                    new CpuTopology(sockets, coresPerSocket, threadsPerCore, numaNodesPerSocket),
                    Math.multiplyExact(memoryGib, Geometry.GIB));
        } catch (IllegalArgumentException | ArithmeticException e) {
            err.println("rmpopt: bad host: " + e.getMessage());
            return 2;
        }
        SnpMachine machine;
        try {
            machine = Guice.createInjector(new RmpCoreModule(), new AbstractModule() {
                @Override
                protected void configure() {
                    bind(HostDescription.class).toInstance(host);
                    RmpCoreModule.selectBackend(binder(), backend);
                }
            }).getInstance(SnpMachine.class);
        } catch (ProvisionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            err.println("rmpopt: " + cause.getMessage());
            return 2;
        }
        err.printf("host: %s; RMP %d MiB; backend %s%n", host.summary(), host.rmpBytes() >> 20, backend);
        FirmwareStatus init = machine.snpInit();
        if (init != FirmwareStatus.SUCCESS) {
            err.println("rmpopt: SNP_INIT failed: " + init);
            return 1;
        }
        RmpoptDriver driver = new RmpoptDriver(machine);
        SetupResult setup = driver.setup();
        err.printf("SEV-SNP: Attempt RMP optimizations on physical address range @1GB alignment [0x%016x - 0x%016x]%n",
                setup.passRange().start(), setup.passRange().end());
        setup.unoptimizedAbove().ifPresent(above ->
                err.printf("SEV-SNP: RMPOPT coverage limited to 2TB; memory above 0x%x not optimized%n", above));
        err.printf("boot pass: %d regions, %d RMPOPT instructions, %d IPI rounds, %d regions optimized%n",
                setup.firstPass().regions(), setup.firstPass().rmpoptInstructions(), setup.firstPass().ipiRounds(),
                setup.firstPass().regionsClean());
        err.println(DebugfsRmpoptTable.PATH + ":");
        err.flush();
        for (String line : DebugfsRmpoptTable.lines(machine, setup.passRange())) {
            out.println(line);
        }
        out.flush();
        return 0;
    }
}
