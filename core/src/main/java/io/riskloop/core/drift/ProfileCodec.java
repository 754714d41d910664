package io.riskloop.core.drift;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a {@link ReferenceProfile}: big-endian, the magic bytes {@code RLDP}, a format version, then
 * the header and each column (docs/drift.md lists the fields). A reader refuses other versions by name.
 */
final class ProfileCodec {

    static final int CURRENT_VERSION = 1;
    private static final int MAGIC = 0x524C4450; // "RLDP": riskloop drift profile

    private ProfileCodec() {
    }

    static byte[] write(ReferenceProfile p) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(CURRENT_VERSION);
            out.writeUTF(p.modelVersion());
            out.writeLong(p.rows());
            out.writeLong(p.seed());
            out.writeInt(p.features().size());
            for (ColumnProfile c : p.features()) {
                writeColumn(out, c);
            }
            writeColumn(out, p.score());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return bytes.toByteArray();
    }

    private static void writeColumn(DataOutputStream out, ColumnProfile c) throws IOException {
        out.writeUTF(c.name());
        out.writeByte(c.kind().ordinal());
        out.writeLong(c.count());
        out.writeLong(c.missing());
        out.writeDouble(c.rawMean());
        out.writeDouble(c.variance());
        QuantileSummary q = c.quantiles();
        float[] items = q.items();
        long[] weights = q.cumulativeWeights();
        out.writeDouble(q.rankError());
        out.writeInt(items.length);
        for (int i = 0; i < items.length; i++) {
            out.writeFloat(items[i]);
            out.writeLong(weights[i]);
        }
        float[] cats = c.categories();
        long[] counts = c.counts();
        out.writeInt(cats.length);
        for (int i = 0; i < cats.length; i++) {
            out.writeFloat(cats[i]);
            out.writeLong(counts[i]);
        }
        out.writeLong(c.otherCount());
        float[] sample = c.sample();
        out.writeInt(sample.length);
        for (float v : sample) {
            out.writeFloat(v);
        }
    }

    static ReferenceProfile read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (bytes.length < 8 || in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a riskloop drift profile: it does not start with 'RLDP' ("
                        + bytes.length + " bytes)");
            }
            int version = in.readInt();
            if (version != CURRENT_VERSION) {
                throw new IllegalArgumentException("drift profile of format version " + version
                        + " cannot be read: this riskloop reads version " + CURRENT_VERSION
                        + "; rebuild the profile from the model's reference data");
            }
            String modelVersion = in.readUTF();
            long rows = in.readLong();
            long seed = in.readLong();
            int n = in.readInt();
            checkLength(n, bytes.length, "feature count");
            List<ColumnProfile> features = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                features.add(readColumn(in, bytes.length));
            }
            ColumnProfile score = readColumn(in, bytes.length);
            if (in.available() > 0) {
                throw new IllegalArgumentException("drift profile has " + in.available() + " bytes after its end");
            }
            return new ReferenceProfile(modelVersion, rows, seed, features, score);
        } catch (EOFException e) {
            throw new IllegalArgumentException("drift profile is cut short (" + bytes.length + " bytes)", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ColumnProfile readColumn(DataInputStream in, int total) throws IOException {
        String name = in.readUTF();
        int kind = in.readByte();
        if (kind < 0 || kind >= FeatureKind.values().length) {
            throw new IllegalArgumentException("drift profile column '" + name + "' has unknown kind " + kind);
        }
        long count = in.readLong();
        long missing = in.readLong();
        double mean = in.readDouble();
        double variance = in.readDouble();
        double rankError = in.readDouble();
        int retained = in.readInt();
        checkLength(retained, total, "quantile summary size of column '" + name + "'");
        float[] items = new float[retained];
        long[] weights = new long[retained];
        for (int i = 0; i < retained; i++) {
            items[i] = in.readFloat();
            weights[i] = in.readLong();
        }
        QuantileSummary quantiles = new QuantileSummary(items, weights, rankError);
        int nc = in.readInt();
        checkLength(nc, total, "category count of column '" + name + "'");
        float[] cats = new float[nc];
        long[] counts = new long[nc];
        for (int i = 0; i < nc; i++) {
            cats[i] = in.readFloat();
            counts[i] = in.readLong();
        }
        long other = in.readLong();
        int ns = in.readInt();
        checkLength(ns, total, "sample size of column '" + name + "'");
        float[] sample = new float[ns];
        for (int i = 0; i < ns; i++) {
            sample[i] = in.readFloat();
        }
        return new ColumnProfile(name, FeatureKind.values()[kind], count, missing, mean, variance, quantiles, cats, counts,
                other, sample);
    }

    private static void checkLength(int n, int total, String what) {
        if (n < 0 || n > total) {
            throw new IllegalArgumentException("drift profile is corrupt: " + what + " is " + n + " in " + total
                    + " bytes");
        }
    }
}
