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

    private static final byte FORMAT = 2;

    /**
     * The window as bytes, for a state store's changelog: format, count, then per event the time as a varint delta
     * from the previous one, the cents (zig-zag) with the fraud flag in the lowest bit as a varint, and the id hash.
     * About 12 bytes an event instead of 25: the changelog is written on every transaction.
     */
    public byte[] toBytes() {
        int n = size();
        byte[] out = new byte[5 + 10 + n * (10 + 10 + 8)];
        int p = 0;
        out[p++] = FORMAT;
        p = putVarLong(out, p, n);
        long prev = 0;
        for (int i = start; i < end; i++) {
            p = putVarLong(out, p, i == start ? zigzag(time[i]) : time[i] - prev);
            prev = time[i];
            p = putVarLong(out, p, (zigzag(cents[i]) << 1) | (fraud[i] ? 1 : 0));
            long h = idHash[i];
            for (int k = 0; k < 8; k++) {
                out[p++] = (byte) (h >>> (8 * k));
            }
        }
        return java.util.Arrays.copyOf(out, p);
    }

    /** The window {@link #toBytes} wrote; an empty window for null. */
    public static EventWindow fromBytes(byte[] bytes) {
        EventWindow w = new EventWindow();
        if (bytes == null) {
            return w;
        }
        if (bytes.length == 0 || bytes[0] != FORMAT) {
            throw new IllegalArgumentException("event window state of format " + (bytes.length == 0 ? "(empty)"
                    : bytes[0]) + "; this riskloop reads " + FORMAT);
        }
        int[] pos = {1};
        int n = (int) getVarLong(bytes, pos);
        int cap = Math.max(8, Integer.highestOneBit(Math.max(1, n)) << 1);
        w.time = new long[cap];
        w.cents = new long[cap];
        w.idHash = new long[cap];
        w.fraud = new boolean[cap];
        long prev = 0;
        for (int i = 0; i < n; i++) {
            long t = getVarLong(bytes, pos);
            prev = i == 0 ? unzigzag(t) : prev + t;
            w.time[i] = prev;
            long c = getVarLong(bytes, pos);
            w.fraud[i] = (c & 1) != 0;
            w.cents[i] = unzigzag(c >>> 1);
            long h = 0;
            for (int k = 0; k < 8; k++) {
                h |= (bytes[pos[0]++] & 0xFFL) << (8 * k);
            }
            w.idHash[i] = h;
        }
        w.end = n;
        return w;
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static int putVarLong(byte[] out, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            out[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[p++] = (byte) v;
        return p;
    }

    private static long getVarLong(byte[] in, int[] pos) {
        long v = 0;
        int shift = 0;
        while (true) {
            byte b = in[pos[0]++];
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
            shift += 7;
        }
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
