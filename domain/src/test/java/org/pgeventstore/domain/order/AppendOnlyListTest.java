package org.pgeventstore.domain.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

@DisplayName("AppendOnlyList")
class AppendOnlyListTest {

    @Test
    @DisplayName("appending leaves the list appended to as it was")
    void appendingKeepsThePredecessor() {
        AppendOnlyList<String> empty = AppendOnlyList.copyOf(List.of());
        AppendOnlyList<String> one = empty.plus("a");
        AppendOnlyList<String> two = one.plus("b");

        assertThat(empty).isEmpty();
        assertThat(one).containsExactly("a");
        assertThat(two).containsExactly("a", "b");
    }

    @Test
    @DisplayName("two lists appended from the same list each keep their own element")
    void branches() {
        AppendOnlyList<String> base = AppendOnlyList.copyOf(List.of("a", "b"));
        AppendOnlyList<String> left = base.plus("left");
        AppendOnlyList<String> right = base.plus("right");
        AppendOnlyList<String> leftMore = left.plus("left-2");

        assertThat(base).containsExactly("a", "b");
        assertThat(left).containsExactly("a", "b", "left");
        assertThat(right).containsExactly("a", "b", "right");
        assertThat(leftMore).containsExactly("a", "b", "left", "left-2");
    }

    @Test
    @DisplayName("grows past its first array and equals any list with the same elements")
    void growsAndEqualsOtherLists() {
        AppendOnlyList<Integer> list = AppendOnlyList.copyOf(List.of());
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            list = list.plus(i);
            expected.add(i);
        }
        assertThat(list).isEqualTo(expected).hasSameHashCodeAs(expected).hasSize(1_000);
        assertThat(list.get(999)).isEqualTo(999);
        assertThatThrownBy(() -> AppendOnlyList.copyOf(List.of(1)).get(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    @DisplayName("cannot be changed in place, and holds no nulls")
    void immutable() {
        AppendOnlyList<String> list = AppendOnlyList.copyOf(List.of("a"));
        assertThatThrownBy(() -> list.add("b")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> list.set(0, "b")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> list.remove(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> list.plus(null)).isInstanceOf(NullPointerException.class);
        assertThat(list).containsExactly("a");
    }

    @RepeatedTest(20)
    @DisplayName("threads appending to the same list at once each get the base plus their own element")
    void concurrentBranches() throws InterruptedException {
        AppendOnlyList<Integer> base = AppendOnlyList.copyOf(List.of(-2, -1));
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<List<Integer>> results = new ConcurrentLinkedQueue<>();
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int mine = t;
            running.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                AppendOnlyList<Integer> list = base;
                for (int i = 0; i < 100; i++) {
                    list = list.plus(mine * 1_000 + i);
                }
                results.add(list);
            }));
        }
        start.countDown();
        for (Thread thread : running) {
            thread.join();
        }

        assertThat(results).hasSize(threads);
        for (List<Integer> result : results) {
            int owner = result.get(2) / 1_000;
            List<Integer> expected = new ArrayList<>(List.of(-2, -1));
            for (int i = 0; i < 100; i++) {
                expected.add(owner * 1_000 + i);
            }
            assertThat(result).isEqualTo(expected);
        }
        assertThat(base).containsExactly(-2, -1);
    }
}
