package org.pgeventstore.domain.order;

import static java.util.Objects.requireNonNull;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An immutable list to which {@link #plus} appends one element in amortised constant time.
 *
 * <p>Folding an order's events appends one line per {@code OrderItemAdded}; copying the whole
 * list each time made loading an order quadratic in its length (a 10,000-event order spent
 * most of its load copying lists). Here a list and the lists appended from it share one array:
 * each list sees only its first {@code size} slots, which are written once and never again.
 * The first list appended from a given list takes the next slot in place; any other (a second
 * branch from the same list, or a full array) gets a copy. Safe to share between threads: slots
 * are claimed atomically and published through final fields.
 */
final class AppendOnlyList<E> extends AbstractList<E> implements RandomAccess {

    private static final int MIN_CAPACITY = 8;

    private final Object[] elements;
    /** How many slots of {@code elements} some list has claimed; shared by all lists on this array. */
    private final AtomicInteger claimed;
    private final int size;

    private AppendOnlyList(Object[] elements, AtomicInteger claimed, int size) {
        this.elements = elements;
        this.claimed = claimed;
        this.size = size;
    }

    /** The elements of {@code items} as an append-only list; the list itself when it is one already. */
    @SuppressWarnings("unchecked")
    static <E> AppendOnlyList<E> copyOf(Collection<? extends E> items) {
        if (items instanceof AppendOnlyList<?> list) {
            return (AppendOnlyList<E>) list;
        }
        Object[] array = items.toArray();
        for (Object element : array) {
            requireNonNull(element, "element");
        }
        Object[] elements = Arrays.copyOf(array, Math.max(MIN_CAPACITY, array.length));
        return new AppendOnlyList<>(elements, new AtomicInteger(array.length), array.length);
    }

    /** This list with {@code element} appended; this list is unchanged. */
    AppendOnlyList<E> plus(E element) {
        requireNonNull(element, "element");
        if (size < elements.length && claimed.compareAndSet(size, size + 1)) {
            elements[size] = element;
            return new AppendOnlyList<>(elements, claimed, size + 1);
        }
        Object[] grown = new Object[Math.max(MIN_CAPACITY, size * 2)];
        System.arraycopy(elements, 0, grown, 0, size);
        grown[size] = element;
        return new AppendOnlyList<>(grown, new AtomicInteger(size + 1), size + 1);
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        Objects.checkIndex(index, size);
        return (E) elements[index];
    }

    @Override
    public int size() {
        return size;
    }
}
