package io.riskloop.stream.notify;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;

/**
 * An e-mail notifier: which SMTP server to hand alerts to, and for whom.
 *
 * @param name     the notifier's name in routing, counters and dead letters (default {@code email})
 * @param host     the SMTP server
 * @param port     its port (1 to 65535; usually 25, or 587 with STARTTLS)
 * @param from     the sender address
 * @param to       the recipients, at least one
 * @param startTls upgrade the connection with STARTTLS, and refuse to send if the server does not offer it
 *                 (default false)
 * @param username the SMTP user, or null to send without authentication
 * @param password the SMTP password, given with {@code username}
 * @param baseUrl  where riskloop's web app is, for a link {@code {baseUrl}/transactions/{id}} in the body; or null
 * @param timeout  the longest wait to connect, and for each answer of the server (default 10 s)
 * @param retry    attempts and waits before the dead-letter topic (default {@link RetryPolicy#DEFAULT})
 */
public record EmailConfig(String name, String host, int port, String from, List<String> to, boolean startTls,
                          String username, String password, URI baseUrl, Duration timeout, RetryPolicy retry) {

    public EmailConfig {
        NotifierName.check("e-mail notifier", name);
        String who = "e-mail notifier '" + name + "': ";
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException(who + "the SMTP host is missing");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(who + "port " + port + " is not a TCP port (1 to 65535; SMTP is"
                    + " usually 25, or 587 with STARTTLS)");
        }
        address(who, "from", from);
        if (to == null || to.isEmpty()) {
            throw new IllegalArgumentException(who + "the recipient list is empty; name at least one address");
        }
        to = List.copyOf(to);
        for (String a : to) {
            address(who, "recipient", a);
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException(who + "give both username and password for SMTP authentication, or"
                    + " neither");
        }
        if (username != null && username.isBlank()) {
            throw new IllegalArgumentException(who + "the SMTP username is blank");
        }
        if (baseUrl != null && (!baseUrl.isAbsolute() || !("http".equalsIgnoreCase(baseUrl.getScheme())
                || "https".equalsIgnoreCase(baseUrl.getScheme())) || baseUrl.getHost() == null)) {
            throw new IllegalArgumentException(who + "baseUrl '" + baseUrl + "' must be an absolute http or https"
                    + " URL, such as https://riskloop.example.com");
        }
        WebhookConfig.positive(who, "timeout", timeout);
        if (retry == null) {
            throw new IllegalArgumentException(who + "the retry policy is missing");
        }
    }

    /**
     * An e-mail notifier named {@code email}, without STARTTLS, authentication or link, with the default timeout
     * and retry policy.
     */
    public static EmailConfig of(String host, int port, String from, List<String> to) {
        return new EmailConfig("email", host, port, from, to, false, null, null, null, Duration.ofSeconds(10),
                RetryPolicy.DEFAULT);
    }

    public EmailConfig withName(String n) {
        return new EmailConfig(n, host, port, from, to, startTls, username, password, baseUrl, timeout, retry);
    }

    public EmailConfig withStartTls(boolean on) {
        return new EmailConfig(name, host, port, from, to, on, username, password, baseUrl, timeout, retry);
    }

    public EmailConfig withAuthentication(String user, String pass) {
        return new EmailConfig(name, host, port, from, to, startTls, user, pass, baseUrl, timeout, retry);
    }

    /** @param url riskloop's web app, e.g. {@code https://riskloop.example.com} */
    public EmailConfig withBaseUrl(String url) {
        URI uri;
        try {
            uri = url == null ? null : new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("e-mail notifier '" + name + "': baseUrl '" + url + "' is not a URL: "
                    + e.getMessage(), e);
        }
        return new EmailConfig(name, host, port, from, to, startTls, username, password, uri, timeout, retry);
    }

    public EmailConfig withTimeout(Duration t) {
        return new EmailConfig(name, host, port, from, to, startTls, username, password, baseUrl, t, retry);
    }

    public EmailConfig withRetry(RetryPolicy r) {
        return new EmailConfig(name, host, port, from, to, startTls, username, password, baseUrl, timeout, r);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "EmailConfig[name=" + name + ", host=" + host + ", port=" + port + ", from=" + from + ", to=" + to
                + ", startTls=" + startTls + ", username=" + username + ", password=" + (password == null ? "none" : "(set)")
                + ", baseUrl=" + baseUrl + ", timeout=" + timeout + ", retry=" + retry + "]";
    }

    private static void address(String who, String role, String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException(who + "the " + role + " address is missing");
        }
        try {
            new InternetAddress(address, true).validate();
        } catch (AddressException e) {
            throw new IllegalArgumentException(who + role + " address '" + address + "' is not an e-mail address: "
                    + e.getMessage(), e);
        }
    }
}
