package io.riskloop.core.features;

import java.util.Arrays;

/**
 * The recent events of one entity (a card or a terminal), kept sorted by time in primitive arrays: time in
 * milliseconds, amount in cents, a hash of the transaction id, and whether the event is known to be fraud.
 * Old events are evicted, so the size is bounded by the longest window, not by history.
 *
 * <p>Window queries binary-search their bounds and sum the events between; sums are exact because amounts are
 * whole cents. Events normally arrive in time order (appended); a late event is inserted at its place.
 */
public final class EventWindow {

    private long[] time = new long[8];
    private long[] cents = new long[8];
    private long[] idHash = new long[8];
    private boolean[] fraud = new boolean[8];
    private int start;
    private int end;

    public int size() {
        return end - start;
    }

    public boolean isEmpty() {
        return end == start;
    }

    /** Adds an event at its place in time order (after any events with the same time). */
    public void add(long timeMillis, long amountCents, long transactionIdHash) {
        if (end == time.length) {
            compactOrGrow();
        }
        int at = end;
        if (end > start && time[end - 1] > timeMillis) {
            at = upperBound(timeMillis);
            int n = end - at;
            System.arraycopy(time, at, time, at + 1, n);
            System.arraycopy(cents, at, cents, at + 1, n);
            System.arraycopy(idHash, at, idHash, at + 1, n);
            System.arraycopy(fraud, at, fraud, at + 1, n);
        }
        time[at] = timeMillis;
        cents[at] = amountCents;
        idHash[at] = transactionIdHash;
        fraud[at] = false;
        end++;
    }

    /** Drops every event older than {@code cutoffMillis} (strictly before it). */
    public void evictBefore(long cutoffMillis) {
        while (start < end && time[start] < cutoffMillis) {
            start++;
        }
        if (start == end) {
            start = 0;
            end = 0;
        }
    }

    /**
     * Marks the event with this time and id hash as fraud or not. Returns false when the event is not (or no
     * longer) in the window.
     */
    public boolean label(long timeMillis, long transactionIdHash, boolean isFraud) {
        for (int i = lowerBound(timeMillis); i < end && time[i] == timeMillis; i++) {
            if (idHash[i] == transactionIdHash) {
                fraud[i] = isFraud;
                return true;
            }
        }
        return false;
    }

    /** Index of the first event with time >= t. */
    public int lowerBound(long t) {
        int lo = start;
        int hi = end;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (time[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Index of the first event with time > t. */
    public int upperBound(long t) {
        int lo = start;
        int hi = end;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (time[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Sum of cents over the index range [from, to). */
    public long sumCents(int from, int to) {
        long s = 0;
        for (int i = from; i < to; i++) {
            s += cents[i];
        }
        return s;
    }

    /** Number of events known to be fraud in the index range [from, to). */
    public int frauds(int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (fraud[i]) {
                n++;
            }
        }
        return n;
    }

    private void compactOrGrow() {
        int n = end - start;
        if (start > 0 && n <= time.length / 2) {
            System.arraycopy(time, start, time, 0, n);
            System.arraycopy(cents, start, cents, 0, n);
            System.arraycopy(idHash, start, idHash, 0, n);
            System.arraycopy(fraud, start, fraud, 0, n);
        } else {
            int cap = time.length * 2;
            time = Arrays.copyOfRange(time, start, start + cap);
            cents = Arrays.copyOfRange(cents, start, start + cap);
            idHash = Arrays.copyOfRange(idHash, start, start + cap);
            fraud = Arrays.copyOfRange(fraud, start, start + cap);
        }
        start = 0;
        end = n;
    }

    private static final byte FORMAT = 1;

    /** The window as bytes, for a state store: format, count, then time, cents, id hash and fraud per event. */
    public byte[] toBytes() {
        int n = size();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 + 4 + n * 25);
        b.put(FORMAT).putInt(n);
        for (int i = start; i < end; i++) {
            b.putLong(time[i]).putLong(cents[i]).putLong(idHash[i]).put((byte) (fraud[i] ? 1 : 0));
        }
        return b.array();
    }

    /** The window {@link #toBytes} wrote; an empty window for null. */
    public static EventWindow fromBytes(byte[] bytes) {
        EventWindow w = new EventWindow();
        if (bytes == null) {
            return w;
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
        byte format = b.get();
        if (format != FORMAT) {
            throw new IllegalArgumentException("event window state of format " + format + "; this riskloop reads "
                    + FORMAT);
        }
        int n = b.getInt();
        int cap = Math.max(8, Integer.highestOneBit(Math.max(1, n)) << 1);
        w.time = new long[cap];
        w.cents = new long[cap];
        w.idHash = new long[cap];
        w.fraud = new boolean[cap];
        for (int i = 0; i < n; i++) {
            w.time[i] = b.getLong();
            w.cents[i] = b.getLong();
            w.idHash[i] = b.getLong();
            w.fraud[i] = b.get() != 0;
        }
        w.end = n;
        return w;
    }

    /** A 64-bit hash of a transaction id (FNV-1a), used to find an event again when its label arrives. */
    public static long hashId(String transactionId) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < transactionId.length(); i++) {
            h ^= transactionId.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
