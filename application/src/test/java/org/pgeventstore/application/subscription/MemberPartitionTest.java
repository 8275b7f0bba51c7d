package org.pgeventstore.application.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MemberPartitionTest {

    @Test
    @DisplayName("the hash is FNV-1a 32 of the UTF-8 id, pinned: changing it would move streams between members of running groups")
    void pinned() {
        // FNV-1a 32 of "" is 0x811C9DC5, of "a" 0xE40C292C (published test vectors).
        assertThat(MemberPartition.memberOf("", 1_000_000)).isEqualTo((int) (0x811C9DC5L % 1_000_000));
        assertThat(MemberPartition.memberOf("a", 1_000_000)).isEqualTo((int) (0xE40C292CL % 1_000_000));
        assertThat(MemberPartition.memberOf("order-42", 1)).isZero();
    }

    @Test
    @DisplayName("1000 streams spread over 4 members, none with less than a sixth")
    void spreads() {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            counts.merge(MemberPartition.memberOf("order-" + i, 4), 1, Integer::sum);
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(counts.values()).allSatisfy(count -> assertThat(count).isGreaterThan(1000 / 6));
        assertThatThrownBy(() -> MemberPartition.memberOf("x", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
