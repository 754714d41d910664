package io.riskloop.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes small ONNX models for tests, field by field after onnx.proto (ModelProto, GraphProto, NodeProto,
 * TensorProto, ValueInfoProto), so the tests need no Python and no model files.
 */
final class OnnxModels {

    private OnnxModels() {
    }

    /** A protobuf message under construction. */
    static final class Msg {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

        Msg str(int field, String v) {
            return io(() -> out.writeString(field, v));
        }

        Msg i64(int field, long v) {
            return io(() -> out.writeInt64(field, v));
        }

        Msg i32(int field, int v) {
            return io(() -> out.writeInt32(field, v));
        }

        Msg msg(int field, Msg m) {
            return io(() -> out.writeBytes(field, ByteString.copyFrom(m.bytes())));
        }

        Msg raw(int field, byte[] v) {
            return io(() -> out.writeBytes(field, ByteString.copyFrom(v)));
        }

        byte[] bytes() {
            io(out::flush);
            return bytes.toByteArray();
        }

        private interface IoAction {
            void run() throws IOException;
        }

        private Msg io(IoAction a) {
            try {
                a.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }
    }

    static final int FLOAT = 1;

    static Msg tensor(String name, long[] dims, float[] values) {
        Msg t = new Msg();
        for (long d : dims) {
            t.i64(1, d);
        }
        t.i32(2, FLOAT).str(8, name);
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return t.raw(9, b.array());
    }

    /** ValueInfoProto of a float tensor; a dimension of -1 is symbolic ("N"). */
    static Msg floatTensorInfo(String name, long... dims) {
        Msg shape = new Msg();
        for (long d : dims) {
            shape.msg(1, d < 0 ? new Msg().str(2, "N") : new Msg().i64(1, d));
        }
        Msg tensorType = new Msg().i32(1, FLOAT).msg(2, shape);
        return new Msg().str(1, name).msg(2, new Msg().msg(1, tensorType));
    }

    static Msg node(String op, String[] inputs, String[] outputs, Msg... attributes) {
        Msg n = new Msg();
        for (String i : inputs) {
            n.str(1, i);
        }
        for (String o : outputs) {
            n.str(2, o);
        }
        n.str(3, op + "_" + outputs[0]).str(4, op);
        for (Msg a : attributes) {
            n.msg(5, a);
        }
        return n;
    }

    static Msg intAttribute(String name, long v) {
        return new Msg().str(1, name).i64(3, v).i32(20, 2); // AttributeProto.INT
    }

    /**
     * Logistic regression p = sigmoid(x W + b) with the output "probabilities" = [1 - p, p] (rows x 2), as
     * scikit-learn exports classifiers without ZipMap.
     */
    static byte[] logisticRegression(float[] weights, float bias) {
        int f = weights.length;
        Msg graph = new Msg()
                .msg(1, node("MatMul", new String[] {"features", "W"}, new String[] {"xw"}))
                .msg(1, node("Add", new String[] {"xw", "b"}, new String[] {"margin"}))
                .msg(1, node("Sigmoid", new String[] {"margin"}, new String[] {"p"}))
                .msg(1, node("Sub", new String[] {"one", "p"}, new String[] {"q"}))
                .msg(1, node("Concat", new String[] {"q", "p"}, new String[] {"probabilities"}, intAttribute("axis", 1)))
                .str(2, "logistic_regression")
                .msg(5, tensor("W", new long[] {f, 1}, weights))
                .msg(5, tensor("b", new long[] {1}, new float[] {bias}))
                .msg(5, tensor("one", new long[] {1}, new float[] {1f}))
                .msg(11, floatTensorInfo("features", -1, f))
                .msg(12, floatTensorInfo("probabilities", -1, 2));
        return new Msg()
                .i64(1, 8) // ir_version
                .str(2, "riskloop-test")
                .msg(7, graph)
                .msg(8, new Msg().str(1, "").i64(2, 13)) // opset 13
                .bytes();
    }
}
