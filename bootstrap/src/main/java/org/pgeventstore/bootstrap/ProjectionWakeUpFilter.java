package org.pgeventstore.bootstrap;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.pgeventstore.application.feed.AppendSignal;

/**
 * Wakes this instance's projection runners after every successful write to the API, that is after
 * the append's transaction committed (never from inside it). Runners of other instances find the
 * events by polling, at most one poll interval later.
 */
@ServerFilter("/api/**")
public class ProjectionWakeUpFilter {

    private final AppendSignal signal;

    public ProjectionWakeUpFilter(AppendSignal signal) {
        this.signal = signal;
    }

    @ResponseFilter
    public void afterWrite(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (request.getMethod() == HttpMethod.POST && response.code() >= 200 && response.code() < 300) {
            signal.signal();
        }
    }
}
