package org.pgeventstore.adapters.http.order;

import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pgeventstore.adapters.http.ApiProblem;
import org.pgeventstore.application.aggregate.VersionCondition;

/**
 * The {@code If-Match} header (RFC 9110, section 13.1.1) as a condition on an order's version.
 * The order's entity tag is its quoted version, {@code "3"}, compared strongly: a weak tag
 * ({@code W/"3"}) never matches, nor does a tag that is not a version; a list matches any of its
 * tags; {@code *} matches any existing order. A header that is not such a list is a 400.
 */
final class IfMatch {

    private static final Pattern TAG = Pattern.compile("\\s*(W/)?\"([\\x21\\x23-\\x7E\\x80-\\xFF]*)\"\\s*(,|$)");
    private static final Pattern VERSION = Pattern.compile("\\d{1,18}");

    private IfMatch() {
    }

    static Optional<VersionCondition> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        if (header.trim().equals("*")) {
            return Optional.of(VersionCondition.EXISTS);
        }
        TreeSet<Long> versions = new TreeSet<>();
        Matcher matcher = TAG.matcher(header);
        int at = 0;
        boolean any = false;
        while (at < header.length() && matcher.find(at) && matcher.start() == at) {
            any = true;
            boolean weak = matcher.group(1) != null;
            String opaque = matcher.group(2);
            if (!weak && VERSION.matcher(opaque).matches()) {
                versions.add(Long.parseLong(opaque));
            }
            at = matcher.end();
            if (matcher.group(3).isEmpty()) {
                break;
            }
        }
        if (!any || at != header.length() || header.trim().endsWith(",")) {
            throw ApiProblem.badParameter("If-Match", "must be *, or entity tags such as \"3\" (the order's ETag), "
                    + "separated by commas; was " + ApiProblem.quoted(header));
        }
        return Optional.of(new VersionCondition.OneOf(versions));
    }
}
