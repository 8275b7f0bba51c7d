package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HealthProbeTest {

    private final AtomicInteger status = new AtomicInteger(200);
    private HttpServer server;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health/readiness", exchange -> {
            byte[] body = ("{\"status\":\"" + (status.get() == 200 ? "UP" : "DOWN") + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI readiness() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health/readiness");
    }

    @Test
    @DisplayName("healthy for a 200, with what it saw")
    void up() {
        HealthProbe.Result result = HealthProbe.probe(readiness());
        assertThat(result.healthy()).isTrue();
        assertThat(result.message()).contains("200").contains("UP");
    }

    @Test
    @DisplayName("unhealthy for a 503 (readiness DOWN)")
    void down() {
        status.set(503);
        HealthProbe.Result result = HealthProbe.probe(readiness());
        assertThat(result.healthy()).isFalse();
        assertThat(result.message()).contains("503").contains("DOWN");
    }

    @Test
    @DisplayName("unhealthy when nothing answers")
    void nothingListening() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        HealthProbe.Result result = HealthProbe.probe(URI.create("http://127.0.0.1:" + port + "/health/readiness"));
        assertThat(result.healthy()).isFalse();
        assertThat(result.message()).contains("no answer");
    }
}
