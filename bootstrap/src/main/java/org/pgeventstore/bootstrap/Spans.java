package org.pgeventstore.bootstrap;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** Runs work inside a started span: current while it runs, its outcome recorded, ended after. */
final class Spans {

    private Spans() {
    }

    /**
     * The work's result, after {@code describe} has added what it tells to the span; a failure marks
     * the span as an error with its exception and is thrown on.
     */
    static <T> T within(Span span, Supplier<T> work, BiConsumer<Span, T> describe) {
        try (Scope ignored = span.makeCurrent()) {
            T result = work.get();
            describe.accept(span, result);
            return result;
        } catch (RuntimeException failure) {
            span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
            span.recordException(failure);
            throw failure;
        } finally {
            span.end();
        }
    }
}
