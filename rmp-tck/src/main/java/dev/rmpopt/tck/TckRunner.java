package dev.rmpopt.tck;

import dev.rmpopt.api.HostDescription;
import dev.rmpopt.api.InterleavingProbe;
import dev.rmpopt.api.ModelOptions;
import dev.rmpopt.api.RmpBackendProvider;
import dev.rmpopt.api.RmpEventListener;
import dev.rmpopt.api.SnpMachine;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.File;
import java.io.PrintStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * Runs the kit against a backend found by {@link java.util.ServiceLoader} by name, with no build of
 * the backend's own: the JUnit Platform launcher runs {@link RmpMachineCompatibilityKit} for the
 * backend's {@link RmpBackendProvider}, and every rule is printed with PASS, FAIL (and its
 * counterexample) or SKIPPED (and why). {@code rmpopt tck --backend NAME [--classpath JAR]} is a thin
 * command over it; so is {@link #main}:
 *
 * <pre>{@code java -cp rmpopt.jar:mybackend.jar dev.rmpopt.tck.TckRunner --backend mine}</pre>
 *
 * <p>This class needs {@code org.junit.platform:junit-platform-launcher} and a Jupiter engine on the
 * class path (an optional dependency of the kit: tests that subclass the kit need neither).
 */
public final class TckRunner {

    /** The provider the next run uses; {@link ProviderKit} reads it. */
    private static volatile RmpBackendProvider current;

    private TckRunner() {
    }

    /** The kit against the provider the runner selected, every capability declared. */
    public static final class ProviderKit extends RmpMachineCompatibilityKit {
        /** Created by the JUnit Platform. */
        public ProviderKit() {
        }

        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener) {
            return Objects.requireNonNull(current, "no backend selected").create(host, options, listener);
        }

        @Override
        protected SnpMachine newMachine(HostDescription host, ModelOptions options, RmpEventListener listener, InterleavingProbe probe) {
            return Objects.requireNonNull(current, "no backend selected").create(host, options, listener, probe);
        }
    }

    /**
     * What one run found.
     *
     * @param passed  rules that passed
     * @param failed  rules that failed
     * @param skipped rules skipped (an optional rule not met, a capability not declared, a rule not verified)
     */
    public record Result(int passed, int failed, int skipped) {
        /** Whether no rule failed. */
        public boolean ok() {
            return failed == 0;
        }
    }

    /**
     * The provider named {@code name} among those {@code loader} finds.
     *
     * @throws NoSuchElementException naming the providers there are
     */
    public static RmpBackendProvider provider(String name, ClassLoader loader) {
        List<RmpBackendProvider> all = RmpBackendProvider.all(loader);
        return all.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no RMP backend named '" + name + "'; available: "
                        + all.stream().map(RmpBackendProvider::name).sorted().collect(Collectors.joining(", "))));
    }

    /** A class loader over {@code jars} (and the kit's own class path): where a third party's backend lives. */
    public static ClassLoader loaderFor(List<File> jars) {
        List<URL> urls = new ArrayList<>();
        for (File f : jars) {
            if (!f.exists()) {
                throw new IllegalArgumentException("no such file: " + f);
            }
            try {
                urls.add(f.toURI().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("not a file name: " + f, e);
            }
        }
        return urls.isEmpty() ? TckRunner.class.getClassLoader()
                : new URLClassLoader(urls.toArray(new URL[0]), TckRunner.class.getClassLoader());
    }

    /** Runs every rule of the kit against {@code provider}, printing the report to {@code out}. */
    public static synchronized Result run(RmpBackendProvider provider, PrintStream out) {
        current = Objects.requireNonNull(provider, "provider");
        TckSettings settings = TckSettings.fromEnvironment();
        out.println("rmp-tck: backend '" + provider.name() + "' (" + provider.description() + "), " + settings.describeSeeds()
                + ", depth " + settings.depth());
        Map<String, String[]> outcomes = new TreeMap<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest()) {
                    String message = result.getThrowable().map(Throwable::getMessage).orElse("");
                    String status = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? "PASS"
                            : result.getStatus() == TestExecutionResult.Status.FAILED ? "FAIL" : "SKIPPED";
                    outcomes.put(method(id), new String[] {status, id.getDisplayName(), message == null ? "" : message});
                }
            }

            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                if (id.isTest()) {
                    outcomes.put(method(id), new String[] {"SKIPPED", id.getDisplayName(), reason == null ? "" : reason});
                }
            }
        };
        Launcher launcher = LauncherFactory.create();
        try {
            launcher.execute(request().selectors(selectClass(ProviderKit.class)).build(), listener);
        } finally {
            current = null;
        }
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        out.println();
        for (Map.Entry<String, String[]> e : ordered(outcomes)) {
            String[] o = e.getValue();
            out.printf("%-8s %s%n         %s%n", o[0], o[1], e.getKey());
            if (!o[0].equals("PASS") && !o[2].isBlank()) {
                out.println(indent(o[2]));
            }
            passed += o[0].equals("PASS") ? 1 : 0;
            failed += o[0].equals("FAIL") ? 1 : 0;
            skipped += o[0].equals("SKIPPED") ? 1 : 0;
        }
        Result r = new Result(passed, failed, skipped);
        out.println();
        out.println("rmp-tck: " + passed + " passed, " + failed + " failed, " + skipped + " skipped: "
                + (r.ok() ? "backend '" + provider.name() + "' conforms" : "backend '" + provider.name() + "' does NOT conform"));
        return r;
    }

    /** The kit's rules in the order of {@link Rule}, then anything else. */
    private static List<Map.Entry<String, String[]>> ordered(Map<String, String[]> outcomes) {
        List<Map.Entry<String, String[]>> out = new ArrayList<>();
        for (Rule r : Rule.values()) {
            outcomes.entrySet().stream().filter(e -> e.getKey().equals(r.methodName())).forEach(out::add);
        }
        outcomes.entrySet().stream().filter(e -> Rule.ofMethod(e.getKey()) == null).forEach(out::add);
        return out;
    }

    private static String indent(String text) {
        return text.lines().map(l -> "         " + l).collect(Collectors.joining(System.lineSeparator()));
    }

    private static String method(TestIdentifier id) {
        return id.getSource().filter(MethodSource.class::isInstance).map(s -> ((MethodSource) s).getMethodName())
                .orElse(id.getDisplayName());
    }

    /**
     * Runs the kit from the command line: {@code --backend NAME} (required), {@code --classpath JAR}
     * (repeatable: where the backend lives), {@code --depth N}, {@code --seeds fixed|fresh|0x...},
     * {@code --seed 0x...} (replay one trial). Exits 0 when every required rule passed, 1 when one
     * failed, 2 on bad arguments.
     */
    public static void main(String[] args) {
        System.exit(runCommandLine(args, System.out, System.err));
    }

    /** {@link #main} without the exit: returns the status. */
    public static int runCommandLine(String[] args, PrintStream out, PrintStream err) {
        String backend = null;
        List<File> jars = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (a) {
                    case "--backend":
                        backend = require(a, value);
                        i++;
                        break;
                    case "--classpath":
                        for (String part : require(a, value).split(File.pathSeparator)) {
                            jars.add(new File(part));
                        }
                        i++;
                        break;
                    case "--depth":
                        System.setProperty(TckSettings.DEPTH_PROPERTY, String.valueOf(Integer.parseInt(require(a, value))));
                        i++;
                        break;
                    case "--seeds":
                        System.setProperty(TckSettings.SEEDS_PROPERTY, require(a, value));
                        i++;
                        break;
                    case "--seed":
                        System.setProperty(TckSettings.SEED_PROPERTY, require(a, value));
                        i++;
                        break;
                    default:
                        throw new IllegalArgumentException("unknown argument " + a);
                }
            }
            if (backend == null) {
                throw new IllegalArgumentException("--backend NAME is required");
            }
            RmpBackendProvider provider = provider(backend, loaderFor(jars));
            return run(provider, out).ok() ? 0 : 1;
        } catch (IllegalArgumentException | NoSuchElementException e) {
            err.println("rmp-tck: " + e.getMessage());
            err.println("usage: TckRunner --backend NAME [--classpath JAR[" + File.pathSeparator + "JAR...]] [--depth N] "
                    + "[--seeds fixed|fresh|0x...] [--seed 0x...]");
            return 2;
        }
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
