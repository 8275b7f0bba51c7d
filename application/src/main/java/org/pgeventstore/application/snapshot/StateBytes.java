package org.pgeventstore.application.snapshot;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A compact binary encoding for snapshot states, for codecs whose states are large: a cold load
 * reads the whole state, and decoding text (JSON) costs far more per value than copying bytes.
 *
 * <p><b>Encoding.</b> Whole numbers are unsigned LEB128 varints (7 bits per byte, low bits first);
 * {@code long}s that may be negative (instants' seconds) are eight bytes, big-endian; a string is
 * its UTF-8 length as a varint, then its UTF-8 bytes; an instant is its epoch second (eight bytes)
 * and its nanoseconds (a varint). {@link Writer#finish()} appends the CRC-32C of everything before
 * it, and {@link Reader#of} checks it before anything is read: a state cut short, altered or of
 * another encoding is refused whole instead of being mis-read field by field.
 *
 * <p>Readers throw {@link Malformed} naming what is wrong and at which byte.
 */
public final class StateBytes {

    private static final int CHECKSUM_BYTES = 4;

    private StateBytes() {
    }

    /** A state that is not a well-formed encoding: cut short, altered, or not written by {@link Writer}. */
    public static final class Malformed extends RuntimeException {

        public Malformed(String message) {
            super(message);
        }
    }

    /** Writes a state's fields in order into a growing array. */
    public static final class Writer {

        private byte[] bytes;
        private int size;

        /** @param expectedSize a guess at the encoded size, so that a large state is not copied as it grows */
        public Writer(int expectedSize) {
            bytes = new byte[Math.max(64, expectedSize)];
        }

        public Writer varint(long value) {
            if (value < 0) {
                throw new IllegalArgumentException("a varint is not negative, was " + value);
            }
            room(10);
            while ((value & ~0x7FL) != 0) {
                bytes[size++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            bytes[size++] = (byte) value;
            return this;
        }

        public Writer fixedLong(long value) {
            room(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (value >>> shift);
            }
            return this;
        }

        public Writer bool(boolean value) {
            room(1);
            bytes[size++] = (byte) (value ? 1 : 0);
            return this;
        }

        public Writer text(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            varint(utf8.length);
            room(utf8.length);
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
            return this;
        }

        public Writer instant(Instant value) {
            return fixedLong(value.getEpochSecond()).varint(value.getNano());
        }

        /** The bytes written, followed by their checksum; the writer is not used afterwards. */
        public byte[] finish() {
            CRC32C crc = new CRC32C();
            crc.update(bytes, 0, size);
            room(CHECKSUM_BYTES);
            int checksum = (int) crc.getValue();
            for (int shift = 24; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (checksum >>> shift);
            }
            return Arrays.copyOf(bytes, size);
        }

        private void room(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }

    /** Reads a state's fields in the order they were written. */
    public static final class Reader {

        private final byte[] bytes;
        private final int end;
        private int at;

        private Reader(byte[] bytes, int end) {
            this.bytes = bytes;
            this.end = end;
        }

        /**
         * A reader of {@code state}, once its checksum is verified.
         *
         * @throws Malformed when the state is too short to hold a checksum or its checksum does not match
         */
        public static Reader of(byte[] state) {
            if (state.length < CHECKSUM_BYTES) {
                throw new Malformed("it has " + state.length + " bytes, too few for its checksum");
            }
            int end = state.length - CHECKSUM_BYTES;
            CRC32C crc = new CRC32C();
            crc.update(state, 0, end);
            int stored = ((state[end] & 0xFF) << 24) | ((state[end + 1] & 0xFF) << 16) | ((state[end + 2] & 0xFF) << 8)
                    | (state[end + 3] & 0xFF);
            if (stored != (int) crc.getValue()) {
                throw new Malformed("its checksum does not match its " + end + " bytes: it was cut short, altered,"
                        + " or is not of this encoding");
            }
            return new Reader(state, end);
        }

        public long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte next = next();
                value |= (long) (next & 0x7F) << shift;
                if (next >= 0) {
                    return value;
                }
            }
            throw new Malformed("the varint ending at byte " + at + " is longer than 64 bits");
        }

        /** A varint that must fit an {@code int}: a length, a count, an index. */
        public int count() {
            long value = varint();
            if (value > Integer.MAX_VALUE) {
                throw new Malformed("the count ending at byte " + at + " is " + value + ", more than an int");
            }
            return (int) value;
        }

        public long fixedLong() {
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (next() & 0xFF);
            }
            return value;
        }

        public boolean bool() {
            int start = at;
            byte value = next();
            if (value != 0 && value != 1) {
                throw new Malformed("the flag at byte " + start + " is " + value + ", neither 0 nor 1");
            }
            return value == 1;
        }

        public String text() {
            int length = count();
            if (length > end - at) {
                throw new Malformed("the string at byte " + at + " is " + length + " bytes long, past the state's end");
            }
            String value = new String(bytes, at, length, StandardCharsets.UTF_8);
            at += length;
            return value;
        }

        public Instant instant() {
            long seconds = fixedLong();
            long nanos = varint();
            try {
                return Instant.ofEpochSecond(seconds, nanos);
            } catch (DateTimeException | ArithmeticException outOfRange) {
                throw new Malformed("the instant ending at byte " + at + " is out of range: " + seconds + " s " + nanos + " ns");
            }
        }

        /** Bytes left before the checksum: a bound on how many more values there can be. */
        public int remaining() {
            return end - at;
        }

        /** @throws Malformed when bytes are left unread: the state holds more than its reader knows */
        public void finish() {
            if (at != end) {
                throw new Malformed((end - at) + " bytes are left after the last field");
            }
        }

        private byte next() {
            if (at >= end) {
                throw new Malformed("it ends at byte " + end + " before its last field");
            }
            return bytes[at++];
        }
    }
}
