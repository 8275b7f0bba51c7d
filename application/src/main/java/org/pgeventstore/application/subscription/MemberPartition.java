package org.pgeventstore.application.subscription;

import java.nio.charset.StandardCharsets;

/**
 * Which member of a group of {@code members} receives a stream: the 32-bit FNV-1a hash of the
 * stream id's UTF-8 bytes, unsigned, modulo the group's size (the idea of Message DB's consumer
 * groups). Every event of a stream goes to one member, so a stream's events stay in order there.
 * This is the one definition of that hash; the partition is applied to the feed's pages in Java,
 * see {@link SubscriptionService}.
 */
public final class MemberPartition {

    private static final int OFFSET_BASIS = 0x811C9DC5;
    private static final int PRIME = 0x01000193;

    private MemberPartition() {
    }

    /** The member, {@code 0..members-1}, that receives {@code streamId}. */
    public static int memberOf(String streamId, int members) {
        if (members < 1) {
            throw new IllegalArgumentException("a group has at least one member, not " + members);
        }
        int hash = OFFSET_BASIS;
        for (byte b : streamId.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xFF;
            hash *= PRIME;
        }
        return (int) (Integer.toUnsignedLong(hash) % members);
    }
}
