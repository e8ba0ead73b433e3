package dev.parapet.operator.bench;

import dev.parapet.testing.CrudApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Footprint levers (issue 19 item 5), outside the default test run: the operator's time-to-ready
 * and RSS against the bare Quarkus REST app (bench/bare-rest), each lever alone and combined, on
 * the jars {@code bench/run.sh} builds. Every round starts the bare app and then the operator with
 * each lever, in that order, so a load change on the machine hits every variant of the round; the
 * figures are medians over the rounds, and each ratio divides by the bare app's median of the same
 * run. The bare app always runs as {@code java -jar} with the JVM's defaults: it is the reference,
 * not a subject. Nothing is asserted.
 *
 * <p>{@code before} and {@code after} are the controller as the chart runs it before and after the
 * image moved to JDK 25 (image JVM options, the pod's CPU and memory view, the chart's environment
 * without PARAPET_WEBHOOK_WATCH_CLUSTER): {@code before} on JDK 17 with the AppCDS archive a {@code
 * train-archive} run wrote with it, {@code after} on JDK 25 with the CDS archive a {@code
 * train-archive} run wrote with it, both as the image build trains, here on this machine's JDKs
 * rather than the image's; {@code after-aot} is {@code after} with JDK 25's AOT cache instead
 * (-XX:AOTCacheOutput, as the image shipped it for a day). Pod-view variants are also divided by
 * the bare app given the same view.
 *
 * <p>Knobs: {@code -Dbench.footprint.rounds} (5), {@code -Dbench.footprint.levers} (a comma list of
 * the names below; all by default), {@code -Dbench.jdk25} (the JDK 25 home, default Temurin 25
 * under /usr/lib/jvm). Writes {@code target/bench/footprint.txt}.
 */
@Tag("bench")
class FootprintBenchmark {

  /**
   * The JVM options of the image and chart before the AppCDS change (Containerfile, values.yaml);
   * the JDK 17 AppCDS image added only its archive to these (the run adds {@code
   * -XX:SharedArchiveFile=}).
   */
  static final List<String> IMAGE_BEFORE =
      List.of(
          "-XX:MaxRAMPercentage=75",
          "-XX:+ExitOnOutOfMemoryError",
          "-Djava.util.logging.manager=org.jboss.logmanager.LogManager");

  /**
   * The JVM options of the JDK 25 image and chart (Containerfile, values.yaml) but for its CDS
   * archive (the run adds {@code -XX:SharedArchiveFile=}, here the archive a {@code train-archive}
   * run wrote with this machine's JDK 25, as the image build does with the image's, given these
   * same options).
   */
  static final List<String> IMAGE_AFTER =
      List.of(
          "-XX:MaxRAMPercentage=75",
          "-XX:+ExitOnOutOfMemoryError",
          "--sun-misc-unsafe-memory-access=allow",
          "-XX:TrimNativeHeapInterval=5000",
          "-Djava.util.logging.manager=org.jboss.logmanager.LogManager");

  /** The chart's controller.extraJavaOpts, after the image's options (C1 JIT compiler only). */
  static final List<String> CONTROLLER_EXTRA = List.of("-XX:TieredStopAtLevel=1");

  /** {@link #IMAGE_AFTER} without native heap trimming (to measure that lever alone). */
  static final List<String> IMAGE_AFTER_NO_TRIM =
      IMAGE_AFTER.stream().filter(o -> !o.startsWith("-XX:TrimNativeHeapInterval")).toList();

  /**
   * What the JVM sees in the chart's controller pod (limits: 1 CPU, 512Mi): without this, a JVM on
   * this 2-core, 23 GiB machine sizes its heap and its GC/JIT threads for the whole machine.
   */
  static final List<String> POD = List.of("-XX:MaxRAM=512m", "-XX:ActiveProcessorCount=1");

  /**
   * The env change of the chart's controller pod against {@link OperatorBenchmark#controllerEnv}:
   * no PARAPET_WEBHOOK_WATCH_CLUSTER (an empty value removes it; the role turns the watch off).
   */
  static final Map<String, String> CHART_CONTROLLER_ENV =
      Map.of("PARAPET_WEBHOOK_WATCH_CLUSTER", "");

  /** The Quarkus and operator settings of the "threads" lever (system properties). */
  static final List<String> FEWER_THREADS =
      List.of(
          "-Dquarkus.vertx.event-loops-pool-size=1",
          "-Dquarkus.vertx.internal-blocking-pool-size=2",
          "-Dquarkus.thread-pool.max-threads=8",
          "-Xss512k");

  /** The serial collector (no concurrent GC threads, no remembered-set refinement). */
  static final List<String> SERIAL = List.of("-XX:+UseSerialGC");

  /** The serial collector and the heap the chart's 512Mi limit gives (max 384m, initial 8m). */
  static final List<String> SMALL_HEAP =
      List.of("-XX:+UseSerialGC", "-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=75");

  record Lever(
      String name, boolean jdk25, List<String> args, String archiveFlag, Map<String, String> env) {
    Lever(String name, boolean jdk25, List<String> args, String archiveFlag) {
      this(name, jdk25, args, archiveFlag, Map.of());
    }

    Map<String, String> env(Map<String, String> base) {
      var out = new HashMap<>(base);
      out.putAll(env);
      // An empty value removes the variable (e.g. the chart's PARAPET_WEBHOOK_WATCH_CLUSTER).
      out.values().removeIf(String::isEmpty);
      return out;
    }

    /** The run's options: the lever's own plus, with an archive, the flag that uses it. */
    List<String> runArgs(Path archive) {
      var out = new ArrayList<>(args);
      if (archiveFlag != null) {
        out.add((aot() ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive);
      }
      return out;
    }

    /** The archive is written by {@code train-archive}, as the image build writes it. */
    boolean trainedAsTheImage() {
      return archiveFlag != null && archiveFlag.endsWith("-image");
    }

    /** A JDK 25 AOT cache rather than a CDS archive. */
    boolean aot() {
      return archiveFlag != null && archiveFlag.startsWith("aot");
    }

    /**
     * The training run's options: the lever's own; as the image builds trained, the JDK 17 image's
     * none, the JDK 25 image's own JVM options (not the pod's view: the build host's).
     */
    List<String> trainingArgs(Path archive) {
      var out =
          new ArrayList<>(trainedAsTheImage() ? (jdk25 ? IMAGE_AFTER : List.<String>of()) : args);
      out.add((aot() ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + archive);
      return out;
    }
  }

  static List<String> concat(List<?>... parts) {
    var out = new ArrayList<String>();
    for (var p : parts) {
      p.forEach(o -> out.add(o.toString()));
    }
    return out;
  }

  static final List<Lever> LEVERS =
      List.of(
          // The previous measurement: the controller also warmed up and watched for the admission
          // webhook it does not serve (the chart turns that off, the benchmark did not).
          new Lever(
              "webhook-on",
              false,
              List.of(),
              null,
              Map.of("PARAPET_WEBHOOK_WATCH_CLUSTER", "true")),
          // Before and after the move to JDK 25, as the chart's controller pod runs the jar (the
          // pod's CPU and memory limits emulated, no PARAPET_WEBHOOK_WATCH_CLUSTER: the
          // controller role turns the admission watch off itself): JDK 17 with the image's AppCDS
          // archive, and JDK 25 with the image's CDS archive, each trained by train-archive.
          new Lever("before", false, concat(IMAGE_BEFORE, POD), "cds-image", CHART_CONTROLLER_ENV),
          new Lever(
              "after",
              true,
              concat(IMAGE_AFTER, CONTROLLER_EXTRA, POD),
              "cds-image",
              CHART_CONTROLLER_ENV),
          // The earlier applied step: JDK 17, no archive (the image before AppCDS).
          new Lever("before-cds", false, concat(IMAGE_BEFORE, POD), null, CHART_CONTROLLER_ENV),
          // The JDK 25 image's options without the controller's C1-only option (as the webhook
          // runs them), and without native heap trimming too: each lever's share.
          new Lever("after-c2", true, concat(IMAGE_AFTER, POD), "cds-image", CHART_CONTROLLER_ENV),
          new Lever(
              "after-c2-no-trim",
              true,
              concat(IMAGE_AFTER_NO_TRIM, POD),
              "cds-image",
              CHART_CONTROLLER_ENV),
          // The chart's controller and webhook options on JDK 25 with the AOT cache (JEP 514/515,
          // -XX:AOTCacheOutput) instead of the CDS archive (the image's choice for a day): the
          // cache adds linked call sites, archived heap objects and method profiles to the class
          // metadata; and with an AOT cache trained without method profiles (JEP 515's profiles
          // serve the C2 compiler the controller does not run).
          new Lever(
              "after-aot",
              true,
              concat(IMAGE_AFTER, CONTROLLER_EXTRA, POD),
              "aot-image",
              CHART_CONTROLLER_ENV),
          new Lever(
              "after-c2-aot", true, concat(IMAGE_AFTER, POD), "aot-image", CHART_CONTROLLER_ENV),
          new Lever(
              "after-noprofile",
              true,
              concat(
                  IMAGE_AFTER,
                  CONTROLLER_EXTRA,
                  POD,
                  List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTRecordTraining")),
              "aot",
              CHART_CONTROLLER_ENV),
          // Candidates not applied (see docs/benchmarks.md): the new default plus fewer threads.
          new Lever(
              "after+threads",
              true,
              concat(IMAGE_AFTER, POD, FEWER_THREADS),
              "aot-image",
              CHART_CONTROLLER_ENV),
          new Lever("none", false, List.of(), null),
          new Lever("pod", false, concat(IMAGE_BEFORE, POD), null),
          new Lever("serialgc", false, SERIAL, null),
          new Lever("heap", false, SMALL_HEAP, null),
          new Lever("threads", false, FEWER_THREADS, null),
          new Lever("appcds", false, List.of(), "cds"),
          new Lever("jdk25", true, List.of(), null),
          new Lever("aot25", true, List.of(), "aot"),
          new Lever("combined", false, concat(SMALL_HEAP, FEWER_THREADS), "cds"),
          new Lever("combined25", true, concat(SMALL_HEAP, FEWER_THREADS), "aot"),
          new Lever("pod+combined", false, concat(IMAGE_BEFORE, POD, SERIAL, FEWER_THREADS), "cds"),
          // Not a lever: which classes are loaded by the time the controller is ready (only when
          // named in -Dbench.footprint.levers), written to target/bench/classes-<pid>.txt (the jar
          // runs in target/quarkus-app).
          new Lever(
              "classes",
              false,
              List.of("-Xlog:class+load=info:file=../bench/classes-%p.txt"),
              null));

  /**
   * The image build's training run ({@code java -XX:ArchiveClassesAtExit=... -jar quarkus-run.jar
   * train-archive}, for the AOT cache {@code -XX:AOTCacheOutput=...}: the controller role to ready
   * against a mock API server in a child JVM).
   */
  static void trainAsTheImage(Path java, List<String> jvmArgs, Path jar) throws Exception {
    var command = new ArrayList<String>();
    command.add(java.toString());
    command.addAll(jvmArgs);
    command.addAll(List.of("-jar", jar.getFileName().toString(), "train-archive"));
    var log = Path.of("target", "bench", "train-archive.log").toAbsolutePath();
    var p =
        new ProcessBuilder(command)
            .directory(jar.getParent().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("train-archive did not finish; see " + log);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "train-archive exited with " + p.exitValue() + "; see " + log);
    }
  }

  @Test
  void footprintLevers() throws Exception {
    var rounds = Integer.getInteger("bench.footprint.rounds", 5);
    var wanted = System.getProperty("bench.footprint.levers", "");
    var levers =
        wanted.isBlank()
            ? LEVERS.stream()
                .filter(l -> !l.name().equals("classes"))
                .collect(Collectors.toCollection(ArrayList::new))
            : LEVERS.stream()
                .filter(l -> Arrays.asList(wanted.split(",")).contains(l.name()))
                .collect(Collectors.toCollection(ArrayList::new));
    // Candidates on top of "after" without editing this class: -Dbench.footprint.try="name=-XX:A
    // -XX:B;name2=..." (each the chart controller's options plus those, with the image's CDS
    // archive but for the names below).
    for (var t : System.getProperty("bench.footprint.try", "").split(";")) {
      if (!t.isBlank()) {
        var name = t.substring(0, t.indexOf('=')).trim();
        var extra = Arrays.asList(t.substring(t.indexOf('=') + 1).trim().split(" +"));
        levers.add(
            new Lever(
                name,
                true,
                concat(IMAGE_AFTER, CONTROLLER_EXTRA, POD, extra),
                // A name starting "no-archive" runs without the image's CDS archive, one starting
                // "own-" with a CDS archive its own training run (these options) wrote: options
                // an archive records, such as -XX:+UseCompactObjectHeaders, must match it.
                name.startsWith("no-archive")
                    ? null
                    : name.startsWith("own-") ? "cds" : "cds-image",
                CHART_CONTROLLER_ENV));
      }
    }
    var root = Path.of(System.getProperty("parapet.repo.root", "..")).toAbsolutePath().normalize();
    var operatorJar = root.resolve("operator/target/quarkus-app/quarkus-run.jar");
    var bareJar = root.resolve("bench/bare-rest/target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(operatorJar) || !Files.exists(bareJar)) {
      throw new IllegalStateException("build both jars first: bench/run.sh does");
    }
    var java17 = Path.of(System.getProperty("java.home"), "bin", "java");
    var java25 =
        Path.of(
            System.getProperty("bench.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java");
    var out = Path.of("target", "bench").toAbsolutePath();
    Files.createDirectories(out);
    var lines = new ArrayList<String>();
    lines.add(
        String.format(
            Locale.ROOT,
            "load average at start: %s; %d processors; %d rounds",
            Files.readString(Path.of("/proc/loadavg")).trim(),
            Runtime.getRuntime().availableProcessors(),
            rounds));

    try (var api = CrudApiServer.start()) {
      var env = OperatorBenchmark.controllerEnv(api.server());
      // Training runs first: start to ready, then a normal exit writes the archive.
      var archives = new HashMap<String, Path>();
      for (var lever : levers) {
        if (lever.archiveFlag() == null) {
          continue;
        }
        // The image's archive is one archive whatever the run's options (train-archive takes none
        // of them): every "cds-image" lever of one JDK uses the same one (and every "aot-image"
        // lever), as every pod uses the image's.
        var archive =
            out.resolve(
                "operator-"
                    + (lever.trainedAsTheImage()
                        ? "image" + (lever.jdk25() ? "25" : "17")
                        : lever.name())
                    + (lever.aot() ? ".aot" : ".jsa"));
        if (lever.trainedAsTheImage() && archives.containsValue(archive)) {
          archives.put(lever.name(), archive);
          continue;
        }
        if (Boolean.getBoolean("bench.footprint.reuse") && Files.exists(archive)) {
          // An archive of an earlier training run of the same jars (saves a start per archive).
          lines.add("reused " + archive.getFileName());
          archives.put(lever.name(), archive);
          continue;
        }
        Files.deleteIfExists(archive);
        var t0 = System.nanoTime();
        if (lever.trainedAsTheImage()) {
          trainAsTheImage(
              lever.jdk25() ? java25 : java17, lever.trainingArgs(archive), operatorJar);
        } else {
          OperatorBenchmark.launch(
              lever.jdk25() ? java25 : java17,
              lever.trainingArgs(archive),
              operatorJar,
              lever.env(env),
              true);
        }
        if (!Files.exists(archive)) {
          throw new IllegalStateException("training run of " + lever.name() + " wrote no archive");
        }
        lines.add(
            String.format(
                Locale.ROOT,
                "training %s: %d MiB archive in %d s",
                lever.name(),
                Files.size(archive) >> 20,
                (System.nanoTime() - t0) / 1_000_000_000));
        archives.put(lever.name(), archive);
      }
      var podView =
          List.of(
              "pod",
              "before",
              "before-cds",
              "after",
              "after-c2",
              "after-c2-no-trim",
              "after-aot",
              "after-c2-aot",
              "after-noprofile",
              "after+threads",
              "pod+combined");
      var bare = new ArrayList<long[]>();
      var barePod = new ArrayList<long[]>();
      var runs = new LinkedHashMap<String, List<long[]>>();
      levers.forEach(l -> runs.put(l.name(), new ArrayList<>()));
      for (int i = 0; i < rounds; i++) {
        bare.add(OperatorBenchmark.launch(java17, List.of(), bareJar, Map.of(), false));
        if (podView.stream().anyMatch(runs::containsKey)) {
          barePod.add(
              OperatorBenchmark.launch(
                  java17, concat(IMAGE_BEFORE, POD), bareJar, Map.of(), false));
        }
        for (var lever : levers) {
          runs.get(lever.name())
              .add(
                  OperatorBenchmark.launch(
                      lever.jdk25() ? java25 : java17,
                      lever.runArgs(archives.get(lever.name())),
                      operatorJar,
                      lever.env(env),
                      false));
        }
      }
      var bareReady = OperatorBenchmark.median(bare, 0);
      var bareRss = OperatorBenchmark.median(bare, 1);
      lines.add(
          String.format(
              Locale.ROOT,
              "bare Quarkus REST (java -jar, JDK 17 defaults): ready %d ms, RSS %d MiB, %d threads (medians of %d)",
              bareReady,
              bareRss / 1024,
              OperatorBenchmark.median(bare, 2),
              rounds));
      if (!barePod.isEmpty()) {
        lines.add(
            String.format(
                Locale.ROOT,
                "bare Quarkus REST with the pod's view (%s): ready %d ms, RSS %d MiB, %d threads",
                String.join(" ", concat(IMAGE_BEFORE, POD)),
                OperatorBenchmark.median(barePod, 0),
                OperatorBenchmark.median(barePod, 1) / 1024,
                OperatorBenchmark.median(barePod, 2)));
        // The pod-view variants against the bare app given the same view (both JVMs see 1 CPU
        // and 512 MiB): the comparison a user of the chart gets.
        for (var name : podView) {
          if (runs.containsKey(name)) {
            lines.add(
                String.format(
                    Locale.ROOT,
                    "  operator \"%s\" / bare with the pod's view: ready %.2f, RSS %.2f",
                    name,
                    (double) OperatorBenchmark.median(runs.get(name), 0)
                        / OperatorBenchmark.median(barePod, 0),
                    (double) OperatorBenchmark.median(runs.get(name), 1)
                        / OperatorBenchmark.median(barePod, 1)));
          }
        }
      }
      lines.add("| lever | ready ms | ready ratio | RSS MiB | RSS ratio | threads | options |");
      lines.add("|---|---|---|---|---|---|---|");
      for (var lever : levers) {
        var r = runs.get(lever.name());
        var ready = OperatorBenchmark.median(r, 0);
        var rss = OperatorBenchmark.median(r, 1);
        lines.add(
            String.format(
                Locale.ROOT,
                "| %s | %d | %.2f | %d | %.2f | %d | %s%s%s |",
                lever.name(),
                ready,
                (double) ready / bareReady,
                rss / 1024,
                (double) rss / bareRss,
                OperatorBenchmark.median(r, 2),
                lever.jdk25() ? "JDK 25 " : "",
                String.join(" ", lever.runArgs(out.resolve("archive"))).replace(out + "/", ""),
                lever.env().isEmpty() ? "" : " " + lever.env()));
      }
      lines.add("load average at end: " + Files.readString(Path.of("/proc/loadavg")).trim());
    }
    Files.write(out.resolve("footprint.txt"), lines);
    System.out.println(String.join(System.lineSeparator(), lines));
  }
}
