package dev.rmpopt.fleet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Runs a fleet on Apache Spark: one host per task (one partition per host), the results kept in
 * memory, added up by {@code treeAggregate} into each scheduler's summary, and written as Parquet
 * from the executors. Embedded it runs Spark in local mode on the machine's cores; under
 * {@code spark-submit} it takes the cluster's master from the submit, and nothing in the job
 * assumes one machine (the plans travel with the tasks; the Parquet path may be any Hadoop URI).
 */
public final class SparkFleetRunner implements AutoCloseable {

    private final SparkSession session;
    private final JavaSparkContext context;

    private SparkFleetRunner(SparkSession session) {
        this.session = session;
        this.context = JavaSparkContext.fromSparkContext(session.sparkContext());
    }

    /**
     * A runner on the master that {@code spark-submit} set ({@code spark.master}), else on
     * {@code master}, else in local mode on every core ({@code local[N]}). In local mode the UI is
     * off and the driver binds to the loopback address.
     */
    public static SparkFleetRunner open(String master) {
        SparkConf conf = new SparkConf().setAppName("rmpopt fleet");
        if (!conf.contains("spark.master")) {
            conf.setMaster(master != null ? master : "local[" + Runtime.getRuntime().availableProcessors() + "]");
        }
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
        }
        return new SparkFleetRunner(SparkSession.builder().config(conf).getOrCreate());
    }

    /** The master it runs on, such as {@code local[2]}. */
    public String master() {
        return context.master();
    }

    /** Task slots: local mode's threads, or the cluster's default parallelism. */
    public int parallelism() {
        return context.defaultParallelism();
    }

    /**
     * Runs every task of {@code plan} with {@code simulator}, one per Spark task, and adds them up;
     * with {@code parquetDir} also writes {@code hosts.parquet} and {@code coverage.parquet} there
     * (tables that must not exist yet). A failed host fails the job, naming the host, and nothing is
     * returned.
     */
    public FleetRun run(FleetPlan plan, HostSimulator simulator, Path parquetDir) throws FleetJobException {
        return run(plan, simulator, parquetDir == null ? null : parquetDir.toUri().toString());
    }

    /**
     * As {@link #run(FleetPlan, HostSimulator, Path)}, the Parquet tables under {@code parquetUri}, any
     * URI Spark's Hadoop file systems write ({@code file:}, {@code hdfs:}, {@code s3a:}), or none if null.
     */
    public FleetRun run(FleetPlan plan, HostSimulator simulator, String parquetUri) throws FleetJobException {
        List<HostTask> tasks = plan.tasks();
        JavaRDD<HostResult> results = context.parallelize(tasks, Math.max(1, tasks.size()))
                .map(task -> LocalFleetRunner.simulateNamed(simulator, task));
        results.persist(StorageLevel.MEMORY_ONLY());
        try {
            context.setJobGroup("rmpopt-fleet", plan.spec().name() + ": " + tasks.size() + " hosts", true);
            long started = System.nanoTime();
            FleetAccumulator accumulator = results.treeAggregate(new FleetAccumulator(), FleetAccumulator::add,
                    FleetAccumulator::merge);
            double seconds = (System.nanoTime() - started) / 1e9;
            List<HostResult> all = new ArrayList<>(results.map(HostResult::withoutSeries).collect());
            if (parquetUri != null) {
                writeParquet(results, parquetUri.endsWith("/") ? parquetUri : parquetUri + "/", tasks.size());
            }
            return new FleetRun(FleetRun.summaries(plan, accumulator), all, "spark " + master(), seconds);
        } catch (Exception e) { // SparkException is checked in Scala's eyes only: Java sees it undeclared
            throw FleetJobException.of(e);
        } finally {
            results.unpersist(false);
        }
    }

    /**
     * Writes the two tables: a file per 10,000 hosts and per 100 hosts' series, so that a small
     * fleet gives one file each and a large one is written by many tasks, not funnelled into one.
     */
    private void writeParquet(JavaRDD<HostResult> results, String base, int hosts) {
        StructType hostSchema = new StructType(new StructField[] {
            field("scheduler", DataTypes.StringType), field("hostIndex", DataTypes.IntegerType),
            field("host", DataTypes.StringType), field("shape", DataTypes.StringType),
            field("memoryGib", DataTypes.LongType), field("cores", DataTypes.IntegerType),
            field("vmsAssigned", DataTypes.IntegerType), field("snpVmsAssigned", DataTypes.IntegerType),
            field("vmsLaunched", DataTypes.IntegerType), field("vmsDestroyed", DataTypes.IntegerType),
            field("vmsRefused", DataTypes.IntegerType), field("writesSkipped", DataTypes.LongType),
            field("writesChecked", DataTypes.LongType), field("snpGuestWrites", DataTypes.LongType),
            field("passes", DataTypes.LongType), field("passModeledNanos", DataTypes.LongType),
            field("passCpuNanos", DataTypes.LongType), field("longestPassNanos", DataTypes.LongType),
            field("worstInterruptionNanos", DataTypes.LongType), field("rmpoptInstructions", DataTypes.LongType),
            field("bootPassNanos", DataTypes.LongType), field("meanCoverage", DataTypes.DoubleType),
            field("endCoverage", DataTypes.DoubleType), field("skippedShare", DataTypes.DoubleType)});
        JavaRDD<Row> hostRows = results.map(r -> RowFactory.create(r.scheduler(), r.hostIndex(), r.host(), r.shape(),
                r.memoryGib(), r.cores(), r.vmsAssigned(), r.snpVmsAssigned(), r.vmsLaunched(), r.vmsDestroyed(),
                r.vmsRefused(), r.writesSkipped(), r.writesChecked(), r.snpGuestWrites(), r.passes(), r.passModeledNanos(),
                r.passCpuNanos(), r.longestPassNanos(), r.worstInterruptionNanos(), r.rmpoptInstructions(),
                r.bootPassNanos(), r.meanCoverage(), r.endCoverage(), r.skippedShare()));
        session.createDataFrame(hostRows, hostSchema).coalesce(Math.max(1, hosts / 10_000)).write().mode(SaveMode.ErrorIfExists)
                .parquet(base + "hosts.parquet");
        StructType coverage = new StructType(new StructField[] {
            field("scheduler", DataTypes.StringType), field("hostIndex", DataTypes.IntegerType),
            field("host", DataTypes.StringType), field("timeNanos", DataTypes.LongType),
            field("optimizedPairs", DataTypes.LongType), field("pairs", DataTypes.LongType),
            field("coverage", DataTypes.DoubleType), field("optimizedGib", DataTypes.LongType),
            field("assignedPages", DataTypes.LongType)});
        JavaRDD<Row> coverageRows = results.flatMap(r -> r.coverage().stream().map(p -> RowFactory.create(r.scheduler(),
                r.hostIndex(), r.host(), p.timeNanos(), p.optimizedPairs(), p.pairs(), p.coverage(), p.optimizedGib(),
                p.assignedPages())).iterator());
        session.createDataFrame(coverageRows, coverage).coalesce(Math.max(1, hosts / 100)).write().mode(SaveMode.ErrorIfExists)
                .parquet(base + "coverage.parquet");
    }

    private static StructField field(String name, org.apache.spark.sql.types.DataType type) {
        return DataTypes.createStructField(name, type, false);
    }

    /** Reads back a Parquet table this runner wrote, as rows (for checks and tests). */
    public List<Row> readParquet(Path table) {
        return session.read().parquet(table.toString()).collectAsList();
    }

    @Override
    public void close() {
        session.stop();
    }
}
