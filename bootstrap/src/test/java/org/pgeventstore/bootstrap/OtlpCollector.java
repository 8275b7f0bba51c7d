package org.pgeventstore.bootstrap;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A stand-in OTLP/HTTP collector on a free loopback port: keeps every POST it is sent, answers 200. */
final class OtlpCollector implements AutoCloseable {

    record Export(String path, String contentType, byte[] body) {
        /** Whether this export carries spans of the trace (protobuf holds the 16 bytes of its id as they are). */
        boolean carries(String traceId) {
            return indexOf(body, HexFormat.of().parseHex(traceId)) >= 0;
        }

        boolean mentions(String text) {
            return indexOf(body, text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) >= 0;
        }
    }

    private final HttpServer server;
    private final List<Export> exports = new CopyOnWriteArrayList<>();

    OtlpCollector() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                exports.add(new Export(exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Content-Type"), body.readAllBytes()));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    /** What OTEL_EXPORTER_OTLP_ENDPOINT is set to. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The first export that carries spans of the trace, waiting for it up to {@code timeout}. */
    Optional<Export> awaitTrace(String traceId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            Optional<Export> found = exports.stream().filter(export -> export.carries(traceId)).findFirst();
            if (found.isPresent()) {
                return found;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            int j = 0;
            while (j < needle.length && haystack[i + j] == needle[j]) {
                j++;
            }
            if (j == needle.length) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
