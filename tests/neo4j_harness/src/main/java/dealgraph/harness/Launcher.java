package dealgraph.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.io.ByteUnit;
import org.neo4j.server.configuration.ServerSettings;

/**
 * Starts a real, in-process Neo4j Community server (org.neo4j.test:neo4j-harness) for dealgraph's tests.
 *
 * <pre>
 *   java -cp ... dealgraph.harness.Launcher --port 7687 [--http-port 7474] [--pagecache 64m]
 *                                           [--workdir DIR] [--no-stdin]
 * </pre>
 *
 * Bolt listens on 127.0.0.1:PORT, unencrypted, auth disabled (the harness default).  HTTP/HTTPS are disabled
 * unless --http-port is given.  When the server accepts Bolt connections, exactly one line
 * {@code READY bolt://127.0.0.1:PORT} is printed to stdout; everything else (our messages, anything a library
 * prints to System.out) goes to stderr, and Neo4j's own neo4j.log/debug.log stay in the server directory.
 *
 * The process then runs until stdin reaches end-of-file (the parent closed the pipe or died) or it gets
 * SIGTERM/SIGINT; either way the server is shut down cleanly and its temporary directory deleted.  With
 * --no-stdin, only a signal stops it (for running by hand with stdin at /dev/null).
 */
public final class Launcher {

    private static final String HOST = "127.0.0.1";

    private final Object lock = new Object();
    private Neo4j neo4j;
    private Path workDir;
    private boolean deleteWorkDir;
    private boolean stopped;

    public static void main(String[] args) {
        // stdout is reserved for the READY line: everything else printed via System.out goes to stderr.
        PrintStream stdout = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);

        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("harness: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        int rc = new Launcher().run(options, stdout);
        System.exit(rc);
    }

    private int run(Options options, PrintStream stdout) {
        Thread hook = new Thread(this::stop, "neo4j-harness-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        try {
            if (options.workDir != null) {
                workDir = Files.createDirectories(options.workDir.toAbsolutePath());
                deleteWorkDir = false;
            } else {
                workDir = Files.createTempDirectory("dealgraph-neo4j-");
                deleteWorkDir = true;
            }
        } catch (IOException e) {
            System.err.println("harness: cannot create working directory: " + e);
            return 1;
        }

        long t0 = System.nanoTime();
        System.err.println("harness: starting Neo4j in " + workDir + " (bolt " + HOST + ":" + options.port + ")");
        Neo4j server;
        try {
            server = build(options).build();
        } catch (Throwable t) {
            dumpLogs();
            t.printStackTrace(System.err);
            stop();
            reportFailure("Neo4j failed to start", t);
            return 1;
        }
        synchronized (lock) {
            if (stopped) { // a signal arrived while starting
                server.close();
                return 1;
            }
            neo4j = server;
        }

        try {
            // build() returns once the DBMS is started; make sure Bolt really accepts and the default database
            // answers before announcing readiness.
            waitForPort(HOST, options.port, 30_000);
            server.defaultDatabaseService().executeTransactionally("RETURN 1");
        } catch (Throwable t) {
            dumpLogs();
            t.printStackTrace(System.err);
            stop();
            reportFailure("Neo4j started but is not usable", t);
            return 1;
        }

        System.err.printf("harness: Neo4j ready in %.1f s (http %s)%n", (System.nanoTime() - t0) / 1e9,
                options.httpPort > 0 ? server.httpURI() : "disabled");
        stdout.println("READY bolt://" + HOST + ":" + options.port);
        stdout.flush();

        if (options.watchStdin) {
            waitForEof(System.in);
            System.err.println("harness: stdin closed, shutting down");
        } else {
            try {
                Thread.currentThread().join(); // until a signal runs the shutdown hook
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
        stop();
        return 0;
    }

    private Neo4jBuilder build(Options options) {
        Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder(workDir)
                .withConfig(GraphDatabaseSettings.auth_enabled, false)
                .withConfig(GraphDatabaseSettings.pagecache_memory, options.pageCacheBytes)
                .withConfig(GraphDatabaseSettings.udc_enabled, false)
                .withConfig(GraphDatabaseInternalSettings.udc_network_enabled, false)
                .withConfig(ServerSettings.allow_telemetry, false)
                .withConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // Netty's graceful shutdown otherwise idles 5 s per event loop group: ~10 s on every stop.
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress(HOST, options.port))
                .withConfig(BoltConnector.advertised_address, new SocketAddress(HOST, options.port))
                .withConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .withConfig(HttpsConnector.enabled, false);
        if (options.httpPort > 0) {
            builder = builder
                    .withConfig(HttpConnector.enabled, true)
                    .withConfig(HttpConnector.listen_address, new SocketAddress(HOST, options.httpPort))
                    .withConfig(HttpConnector.advertised_address, new SocketAddress(HOST, options.httpPort));
        } else {
            builder = builder.withDisabledServer(); // HTTP and HTTPS off; Bolt only
        }
        return builder;
    }

    /** Idempotent: called from main on EOF, from the shutdown hook on SIGTERM/SIGINT, and on startup failure. */
    private void stop() {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            stopped = true;
            if (neo4j != null) {
                long t0 = System.nanoTime();
                try {
                    neo4j.close();
                    System.err.printf("harness: Neo4j stopped in %.1f s%n", (System.nanoTime() - t0) / 1e9);
                } catch (Throwable t) {
                    System.err.println("harness: error while stopping Neo4j: " + t);
                }
                neo4j = null;
            }
            if (workDir != null && deleteWorkDir) {
                deleteRecursively(workDir);
            }
        }
    }

    private static void waitForEof(InputStream in) {
        byte[] buf = new byte[256];
        try {
            while (in.read(buf) != -1) {
                // ignore anything written to us; only EOF matters
            }
        } catch (IOException ignored) {
            // a broken stdin counts as closed
        }
    }

    private static void waitForPort(String host, int port, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1000);
                return;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("Bolt port " + host + ":" + port + " not accepting connections", e);
                }
                Thread.sleep(100);
            }
        }
    }

    /** Last lines on stderr, so that a caller showing only the tail still sees the cause chain. */
    private static void reportFailure(String what, Throwable t) {
        System.err.println("harness: FAILED: " + what + ":");
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            System.err.println("harness:   " + c);
        }
    }

    /** On failure, copy the tail of Neo4j's own log files to stderr so the caller can see why. */
    private void dumpLogs() {
        if (workDir == null || !Files.isDirectory(workDir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(workDir)) {
            files.filter(p -> p.getFileName().toString().endsWith(".log") && Files.isRegularFile(p)).forEach(p -> {
                try {
                    List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
                    if (lines.isEmpty()) {
                        return;
                    }
                    System.err.println("harness: ---- last lines of " + p + " ----");
                    lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(System.err::println);
                } catch (IOException | RuntimeException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("harness: could not delete " + root + ": " + e);
        }
    }

    private static final class Options {
        static final String USAGE = "usage: Launcher --port N [--http-port N] [--pagecache 64m] [--workdir DIR] [--no-stdin]";

        int port = -1;
        int httpPort = 0;
        long pageCacheBytes = ByteUnit.mebiBytes(64);
        Path workDir;
        boolean watchStdin = true;

        static Options parse(String[] args) {
            Options o = new Options();
            List<String> rest = new ArrayList<>(List.of(args));
            while (!rest.isEmpty()) {
                String a = rest.remove(0);
                String value = null;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 0) {
                    value = a.substring(eq + 1);
                    a = a.substring(0, eq);
                }
                switch (a) {
                    case "--port":
                        o.port = port(a, value != null ? value : next(a, rest));
                        break;
                    case "--http-port":
                        o.httpPort = port(a, value != null ? value : next(a, rest));
                        break;
                    case "--pagecache":
                        o.pageCacheBytes = bytes(a, value != null ? value : next(a, rest));
                        break;
                    case "--workdir":
                        o.workDir = Paths.get(value != null ? value : next(a, rest));
                        break;
                    case "--no-stdin":
                        o.watchStdin = false;
                        break;
                    case "-h":
                    case "--help":
                        throw new IllegalArgumentException("help requested");
                    default:
                        throw new IllegalArgumentException("unknown argument: " + a);
                }
            }
            if (o.port <= 0) {
                throw new IllegalArgumentException("--port is required");
            }
            if (o.httpPort == o.port) {
                throw new IllegalArgumentException("--http-port must differ from --port");
            }
            return o;
        }

        private static String next(String flag, List<String> rest) {
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return rest.remove(0);
        }

        private static int port(String flag, String v) {
            try {
                int p = Integer.parseInt(v.trim());
                if (p < 0 || p > 65535) {
                    throw new NumberFormatException();
                }
                return p;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + ": not a port: " + v);
            }
        }

        private static long bytes(String flag, String v) {
            String s = v.trim().toLowerCase();
            long mult = 1;
            if (s.endsWith("k")) {
                mult = ByteUnit.kibiBytes(1);
            } else if (s.endsWith("m")) {
                mult = ByteUnit.mebiBytes(1);
            } else if (s.endsWith("g")) {
                mult = ByteUnit.gibiBytes(1);
            }
            if (mult != 1) {
                s = s.substring(0, s.length() - 1);
            }
            try {
                return Long.parseLong(s) * mult;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + ": not a size: " + v);
            }
        }
    }
}
