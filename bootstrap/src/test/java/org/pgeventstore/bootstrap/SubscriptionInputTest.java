package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;

/** Requests to the consumer-group routes that cannot be served: a 4xx problem each, and nothing stored or moved. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubscriptionInputTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    final String suffix = UUID.randomUUID().toString().substring(0, 8);

    @Override
    public Map<String, String> getProperties() {
        return TestDatabaseProperties.of(PostgresTestDatabase.shared());
    }

    private ApiClient api() {
        return new ApiClient(server.getURI());
    }

    @Test
    @DisplayName("a bad name, startFrom, filter or members is a 400/422 problem naming it, and nothing is stored")
    void badDefinitions() {
        ApiClient api = api();
        api.putJson("/api/subscriptions/bad%20name", "{\"startFrom\": \"end\"}").assertProblem(400, "/invalid-parameter");
        api.putJson("/api/subscriptions/" + "n".repeat(101), "{\"startFrom\": \"end\"}").assertProblem(400, "/invalid-parameter");
        String name = "input-" + suffix;
        for (String body : List.of("{}", "{\"startFrom\": \"later\"}", "{\"startFrom\": -1}", "{\"startFrom\": 1.5}",
                "{\"startFrom\": \"12\"}", "{\"startFrom\": 9223372036854775807}", "{\"startFrom\": \"end\", \"members\": 0}",
                "{\"startFrom\": \"end\", \"members\": 65}", "{\"startFrom\": \"end\", \"category\": \"a-b\"}",
                "{\"startFrom\": \"end\", \"types\": [\"bad type\"]}", "{\"startFrom\": \"end\", \"types\": \"A\"}",
                "{\"startFrom\": \"end\", \"extra\": 1}")) {
            var refused = api.putJson("/api/subscriptions/" + name, body);
            assertThat(refused.status()).as(body + " -> " + refused.body()).isEqualTo(422);
            assertThat(refused.json().get("invalidParams")).as(body).isNotEmpty();
        }
        api.putJson("/api/subscriptions/" + name, "{\"startFrom\": ").assertProblem(400, "/malformed-json");
        assertThat(api.get("/api/subscriptions/" + name).status()).isEqualTo(404);
        assertThat(api.get("/api/subscriptions").body()).doesNotContain(name);
    }

    @Test
    @DisplayName("bad poll parameters are a 400 naming them; an unknown subscription is a 404; nothing is handed out")
    void badPolls() {
        ApiClient api = api();
        String name = "polled-" + suffix;
        assertThat(api.putJson("/api/subscriptions/" + name, "{\"startFrom\": \"beginning\"}").status()).isEqualTo(201);
        for (String query : List.of("member=1&members=1", "member=-1", "members=0", "members=65", "member=x",
                "limit=0", "limit=1001", "limit=ten", "wait=5x", "wait=31s", "wait=-1s", "wait=")) {
            var refused = api.get("/api/subscriptions/" + name + "/events?" + query);
            if (query.equals("wait=")) {
                assertThat(refused.status()).as("an empty wait is no wait").isEqualTo(200);
                continue;
            }
            refused.assertProblem(400, "/invalid-parameter");
        }
        api.get("/api/subscriptions/none-" + suffix + "/events").assertProblem(404, "/unknown-subscription");
        api.delete("/api/subscriptions/none-" + suffix).assertProblem(404, "/unknown-subscription");
        assertThat(api.get("/api/subscriptions/" + name).json().get("checkpoints").get(0).get("position").asLong()).isZero();
    }

    @Test
    @DisplayName("an ack without a position or past what was handed out is refused; one backwards changes nothing")
    void badAcks() {
        ApiClient api = api();
        String name = "acked-" + suffix;
        // A category of this run's own: the lag below counts every event of the category.
        String category = "acked" + suffix;
        String stream = "/api/streams/" + category + "-1/events";
        assertThat(api.putJson("/api/subscriptions/" + name, "{\"category\": \"" + category + "\", \"startFrom\": \"beginning\"}")
                .status()).isEqualTo(201);
        for (int i = 0; i < 3; i++) {
            assertThat(api.postJson(stream, "{\"events\": [{\"type\": \"Acked\", \"data\": {}}]}").status()).isEqualTo(201);
        }
        String ack = "/api/subscriptions/" + name + "/ack";
        api.postJson(ack, "{}").assertProblem(422, "/validation-failed");
        api.postJson(ack, "{\"position\": \"x\"}").assertProblem(422, "/validation-failed");
        api.postJson(ack, "{\"position\": 1, \"member\": 1, \"members\": 1}").assertProblem(422, "/validation-failed");
        var early = api.postJson(ack, "{\"position\": 1}");
        early.assertProblem(409, "/ack-beyond-delivered");

        var page = api.get("/api/subscriptions/" + name + "/events?limit=2").json();
        long next = page.get("next").asLong();
        long first = page.get("events").get(0).get("position").asLong();
        api.postJson(ack, "{\"position\": " + (next + 1) + "}").assertProblem(409, "/ack-beyond-delivered");
        assertThat(api.postJson(ack, "{\"position\": " + next + "}").status()).isEqualTo(204);
        assertThat(api.postJson(ack, "{\"position\": " + first + "}").status()).as("backwards: ignored").isEqualTo(204);
        var status = api.get("/api/subscriptions/" + name).json();
        assertThat(status.get("position").asLong()).isEqualTo(next);
        assertThat(status.get("lag").asLong()).isEqualTo(1);
        api.postJson(ack, "{\"position\": " + next + ", \"members\": 2}").assertProblem(409, "/group-size-conflict");
        assertThat(api.delete("/api/subscriptions/" + name).status()).isEqualTo(204);
        assertThat(api.get("/api/subscriptions/" + name).status()).isEqualTo(404);
    }
}
