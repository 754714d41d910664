package io.riskloop.server;

import io.javalin.http.Context;

/** Shows a problem to a person: the web app's pages answer errors in HTML, not JSON. */
public interface ErrorPages {

    /** Whether this request is for a page. */
    boolean handles(Context ctx);

    void show(Context ctx, Problem problem);
}
