package dev.rlhf.lm.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
 * mapping each name to dtype, shape and byte offsets (and {@code __metadata__}, a map of strings
 * describing the file), then the raw little-endian data. Writes F32; reads F32, F16 and BF16
 * (converted to F32) so half-precision Hugging Face files import.
 */
public final class SafeTensors {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String METADATA = "__metadata__";

  private SafeTensors() {}

  /** Writes {@code tensors} in iteration order as F32. */
  public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
    write(file, tensors, Map.of());
  }

  /** Writes {@code tensors} in iteration order as F32, with {@code metadata} in the header. */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject(METADATA);
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      ObjectNode entry = header.putObject(e.getKey());
      entry.put("dtype", "F32");
      var shape = entry.putArray("shape");
      for (long d : e.getValue().shape()) {
        shape.add(d);
      }
      long end = offset + 4L * e.getValue().data().length;
      entry.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    byte[] json = JSON.writeValueAsBytes(header);
    // The format asks for the data to start 8-byte aligned; spaces are valid JSON padding.
    int padded = (json.length + 7) / 8 * 8;
    byte[] headerBytes = new byte[padded];
    java.util.Arrays.fill(headerBytes, (byte) ' ');
    System.arraycopy(json, 0, headerBytes, 0, json.length);
    try (OutputStream out =
        new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
      out.write(headerBytes);
      ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
      for (Tensor t : tensors.values()) {
        for (float f : t.data()) {
          if (!chunk.hasRemaining()) {
            out.write(chunk.array(), 0, chunk.position());
            chunk.clear();
          }
          chunk.putFloat(f);
        }
      }
      out.write(chunk.array(), 0, chunk.position());
    }
  }

  /** Reads every tensor of a file as F32, in header order. */
  public static Map<String, Tensor> read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long headerLength = headerLength(file, ch);
      JsonNode header = header(ch, headerLength);
      long dataStart = 8 + headerLength;
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals(METADATA)) {
          continue;
        }
        out.put(e.getKey(), readTensor(ch, dataStart, e.getKey(), e.getValue()));
      }
      return out;
    }
  }

  /** The header's {@code __metadata__} strings (empty when the file has none). */
  public static Map<String, String> readMetadata(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      JsonNode meta = header(ch, headerLength(file, ch)).path(METADATA);
      Map<String, String> out = new LinkedHashMap<>();
      meta.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
      return out;
    }
  }

  private static long headerLength(Path file, FileChannel ch) throws IOException {
    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    ch.read(len, 0);
    long headerLength = len.flip().getLong();
    if (headerLength <= 0 || headerLength > 100_000_000L) {
      throw new IOException(file + ": not a safetensors file (header length " + headerLength + ")");
    }
    return headerLength;
  }

  private static JsonNode header(FileChannel ch, long headerLength) throws IOException {
    ByteBuffer hb = ByteBuffer.allocate(Math.toIntExact(headerLength));
    ch.read(hb, 8);
    return JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
  }

  private static Tensor readTensor(FileChannel ch, long dataStart, String name, JsonNode entry)
      throws IOException {
    long[] shape = new long[entry.get("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = entry.get("shape").get(i).asLong();
    }
    long begin = entry.get("data_offsets").get(0).asLong();
    long end = entry.get("data_offsets").get(1).asLong();
    ByteBuffer raw =
        ch.map(FileChannel.MapMode.READ_ONLY, dataStart + begin, end - begin)
            .order(ByteOrder.LITTLE_ENDIAN);
    String dtype = entry.get("dtype").asText();
    float[] data =
        switch (dtype) {
          case "F32" -> {
            float[] f = new float[Math.toIntExact((end - begin) / 4)];
            raw.asFloatBuffer().get(f);
            yield f;
          }
          case "F16" -> halfToFloat(raw, false);
          case "BF16" -> halfToFloat(raw, true);
          default -> throw new IOException(name + ": unsupported dtype " + dtype);
        };
    return new Tensor(shape, data);
  }

  private static float[] halfToFloat(ByteBuffer raw, boolean brain) {
    float[] f = new float[raw.remaining() / 2];
    for (int i = 0; i < f.length; i++) {
      short bits = raw.getShort();
      f[i] = brain ? Float.intBitsToFloat((bits & 0xffff) << 16) : ieeeHalf(bits);
    }
    return f;
  }

  /** IEEE 754 binary16 to float (Java 17 has no {@code Float.float16ToFloat}). */
  static float ieeeHalf(short bits) {
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float subnormal = mantissa * 0x1p-24f;
      return sign == 0 ? subnormal : -subnormal;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}
