package io.riskloop.server.auth;

/**
 * Who makes a request: the name of the API key used (the audit log's actor) and its role.
 *
 * @param name the key's name
 * @param role the key's role
 */
public record Principal(String name, Role role) {

    public boolean is(Role... roles) {
        for (Role r : roles) {
            if (r == role) {
                return true;
            }
        }
        return false;
    }
}
