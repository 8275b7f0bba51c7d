package org.pgeventstore.application.eventstore;

/**
 * Text that no store can keep. JSON can spell any UTF-16 code unit as an escape; PostgreSQL's
 * {@code jsonb} refuses U+0000, and half of a surrogate pair is no Unicode text (PostgreSQL turns
 * it into {@code ?}). The HTTP adapter refuses both before any store sees them, and the in-memory
 * store refuses them as PostgreSQL does.
 */
public final class StorableText {

    private StorableText() {
    }

    /** Why {@code text} cannot be stored as JSON text, or null when it can. */
    public static String unstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "holds U+0000 (\\u0000), which cannot be stored";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "holds half of a UTF-16 surrogate pair (\\u%04X) without the other half, which is no Unicode text"
                        .formatted((int) c);
            }
        }
        return null;
    }
}
