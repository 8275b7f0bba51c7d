package org.pgeventstore.adapters.http.security;

import io.micronaut.http.HttpRequest;

/** The address a request came from, as the connection shows it (a proxy in front is one client). */
final class ClientAddress {

    private ClientAddress() {
    }

    static String of(HttpRequest<?> request) {
        var address = request.getRemoteAddress();
        return address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
    }
}
