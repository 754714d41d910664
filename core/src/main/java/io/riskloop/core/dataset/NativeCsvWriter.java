package io.riskloop.core.dataset;

import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Writes the native layout. Formats numbers and timestamps itself into a byte buffer because the simulator
 * writes 1.75 million rows per book run and general-purpose formatting was the larger part of its run time.
 * Fields written here never need CSV quoting except free-text ids, which are quoted when they contain a
 * comma, quote or line break.
 */
public final class NativeCsvWriter implements Closeable {

    private static final byte[] HEADER = (String.join(",", NativeLayout.HEADER) + "\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final int FLUSH_AT = 1 << 16;

    private final OutputStream out;
    private final byte[] buf = new byte[FLUSH_AT + 4096];
    private int pos;
    private long cachedDay = Long.MIN_VALUE;
    private final byte[] dayPrefix = new byte[11]; // "2018-04-01T"
    private long rows;

    public NativeCsvWriter(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.out = Files.newOutputStream(file);
        put(HEADER);
    }

    public NativeCsvWriter(OutputStream out) {
        this.out = out;
        put(HEADER);
    }

    public long rows() {
        return rows;
    }

    public void write(LabeledTransaction lt) {
        Transaction tx = lt.transaction();
        Instant ts = tx.timestamp();
        if (ts.getNano() == 0) {
            writeRow(tx.id(), ts.getEpochSecond(), tx.cardId(), tx.terminalId(), tx.amountCents(), lt.fraud(),
                    lt.scenario());
        } else {
            text(tx.id());
            put((byte) ',');
            put(ts.toString().getBytes(StandardCharsets.US_ASCII));
            finishRow(tx.cardId(), tx.terminalId(), tx.amountCents(), lt.fraud(), lt.scenario());
        }
    }

    public void writeRow(long id, long epochSecond, int card, int terminal, long amountCents, int scenario) {
        number(id);
        put((byte) ',');
        timestamp(epochSecond);
        put((byte) ',');
        number(card);
        put((byte) ',');
        number(terminal);
        put((byte) ',');
        cents(amountCents);
        put((byte) ',');
        put((byte) (scenario != 0 ? '1' : '0'));
        put((byte) ',');
        number(scenario);
        endRow();
    }

    public void writeRow(String id, long epochSecond, String card, String terminal, long amountCents, boolean fraud,
                         int scenario) {
        text(id);
        put((byte) ',');
        timestamp(epochSecond);
        finishRow(card, terminal, amountCents, fraud, scenario);
    }

    private void finishRow(String card, String terminal, long amountCents, boolean fraud, int scenario) {
        put((byte) ',');
        text(card);
        put((byte) ',');
        text(terminal);
        put((byte) ',');
        cents(amountCents);
        put((byte) ',');
        put((byte) (fraud ? '1' : '0'));
        put((byte) ',');
        number(scenario);
        endRow();
    }

    private void endRow() {
        put((byte) '\n');
        rows++;
        if (pos >= FLUSH_AT) {
            flushBuffer();
        }
    }

    private void timestamp(long epochSecond) {
        long day = Math.floorDiv(epochSecond, 86_400);
        if (day != cachedDay) {
            byte[] p = (LocalDate.ofEpochDay(day) + "T").getBytes(StandardCharsets.US_ASCII);
            if (p.length != 11) { // years outside 0000..9999
                put(Instant.ofEpochSecond(epochSecond).toString().getBytes(StandardCharsets.US_ASCII));
                return;
            }
            System.arraycopy(p, 0, dayPrefix, 0, 11);
            cachedDay = day;
        }
        put(dayPrefix);
        int s = (int) Math.floorMod(epochSecond, 86_400);
        two(s / 3600);
        put((byte) ':');
        two(s / 60 % 60);
        put((byte) ':');
        two(s % 60);
        put((byte) 'Z');
    }

    private void two(int v) {
        put((byte) ('0' + v / 10));
        put((byte) ('0' + v % 10));
    }

    private void cents(long c) {
        if (c < 0) {
            put((byte) '-');
            c = -c;
        }
        number(c / 100);
        put((byte) '.');
        two((int) (c % 100));
    }

    private void number(long v) {
        if (v == Long.MIN_VALUE) { // cannot be negated
            put(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
            return;
        }
        if (v < 0) {
            put((byte) '-');
            v = -v;
        }
        if (v < 10) {
            put((byte) ('0' + v));
            return;
        }
        int start = pos;
        while (v > 0) {
            put((byte) ('0' + v % 10));
            v /= 10;
        }
        for (int i = start, j = pos - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
    }

    private void text(String s) {
        boolean quote = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == ',' || ch == '"' || ch == '\n' || ch == '\r') {
                quote = true;
                break;
            }
        }
        if (quote) {
            s = '"' + s.replace("\"", "\"\"") + '"';
        }
        put(s.getBytes(StandardCharsets.UTF_8));
        if (pos >= FLUSH_AT) {
            flushBuffer(); // keeps the fixed-width rest of the row within the buffer's slack
        }
    }

    private void put(byte b) {
        buf[pos++] = b;
    }

    private void put(byte[] bytes) {
        if (pos + bytes.length > buf.length) {
            flushBuffer();
            if (bytes.length > buf.length) {
                try {
                    out.write(bytes);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return;
            }
        }
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    private void flushBuffer() {
        try {
            out.write(buf, 0, pos);
            pos = 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the data file: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        flushBuffer();
        out.close();
    }
}
