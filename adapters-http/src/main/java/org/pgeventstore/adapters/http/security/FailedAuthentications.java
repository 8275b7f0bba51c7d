package org.pgeventstore.adapters.http.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts failed authentications (a token presented and refused) per client address, and tells when
 * an address has failed more than {@code eventstore.security.failed-authentications-per-minute}
 * times in the last minute, so that keys cannot be guessed online. A token bucket per address:
 * it refills at that rate, holds at most that many, and an address whose bucket is empty is
 * refused with 429 until it holds one again.
 */
@Singleton
public class FailedAuthentications {

    private static final Logger LOG = LoggerFactory.getLogger(FailedAuthentications.class);
    private static final int TRACKED_LIMIT = 100_000;

    private final double perMinute;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Counter refused;
    private final Counter limited;

    private static final class Bucket {
        double tokens;
        long updatedAt;
        boolean warned;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedAt = now;
        }
    }

    public FailedAuthentications(@Value("${eventstore.security.failed-authentications-per-minute:30}") int perMinute,
                                 MeterRegistry meters) {
        if (perMinute < 1) {
            throw new IllegalArgumentException(
                    "eventstore.security.failed-authentications-per-minute must be positive, was " + perMinute);
        }
        this.perMinute = perMinute;
        this.refused = Counter.builder("eventstore.auth.failures").tag("reason", "invalid-token")
                .description("Requests whose bearer token was refused").register(meters);
        this.limited = Counter.builder("eventstore.auth.failures").tag("reason", "rate-limited")
                .description("Requests refused because their address failed to authenticate too often").register(meters);
    }

    /** How long {@code address} must wait before it may try again; zero when it may now. */
    public Duration waitFor(String address) {
        Bucket bucket = buckets.get(address);
        if (bucket == null) {
            return Duration.ZERO;
        }
        synchronized (bucket) {
            refill(bucket, System.nanoTime());
            if (bucket.tokens >= 1) {
                return Duration.ZERO;
            }
            limited.increment();
            double seconds = (1 - bucket.tokens) * 60 / perMinute;
            return Duration.ofMillis((long) Math.ceil(seconds * 1000));
        }
    }

    /** A token from {@code address} was refused. */
    public void failed(String address) {
        refused.increment();
        long now = System.nanoTime();
        if (buckets.size() >= TRACKED_LIMIT) {
            buckets.entrySet().removeIf(entry -> entry.getValue().tokens >= perMinute - 1);
        }
        Bucket bucket = buckets.computeIfAbsent(address, key -> new Bucket(perMinute, now));
        synchronized (bucket) {
            refill(bucket, now);
            bucket.tokens = Math.max(0, bucket.tokens - 1);
            if (bucket.tokens < 1 && !bucket.warned) {
                bucket.warned = true;
                LOG.warn("event=authentication_rate_limited client={} limitPerMinute={} reason=\"this address keeps "
                        + "presenting tokens that are not valid\" action=\"its requests get 429 until the rate falls; if "
                        + "it is a real client, give it a valid key\"", address, (long) perMinute);
            }
        }
    }

    private void refill(Bucket bucket, long now) {
        bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.updatedAt) / 60e9 * perMinute);
        bucket.updatedAt = now;
        if (bucket.tokens >= 1) {
            bucket.warned = false;
        }
    }
}
