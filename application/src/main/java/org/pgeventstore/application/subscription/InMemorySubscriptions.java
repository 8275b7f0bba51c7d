package org.pgeventstore.application.subscription;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** {@link Subscriptions} in memory, for tests and a service without a database: one lock serialises every change. */
public final class InMemorySubscriptions implements Subscriptions {

    private final Map<String, Subscription> byName = new TreeMap<>();

    @Override
    public synchronized List<Subscription> list() {
        return List.copyOf(byName.values());
    }

    @Override
    public synchronized Optional<Subscription> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    @Override
    public synchronized Optional<Subscription> change(String name, UnaryOperator<Optional<Subscription>> change) {
        Optional<Subscription> changed = change.apply(Optional.ofNullable(byName.get(name)));
        changed.ifPresentOrElse(subscription -> byName.put(name, subscription), () -> byName.remove(name));
        return changed;
    }
}
