package dev.rlhf.lm.checkpoint;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves and loads self-describing checkpoint directories: {@code checkpoint.json} ({@link
 * CheckpointMetadata}) next to {@code model.safetensors} (F32, nanoGPT parameter names).
 */
public final class Checkpoints {

  public static final String METADATA_FILE = "checkpoint.json";
  public static final String WEIGHTS_FILE = "model.safetensors";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Checkpoints() {}

  /**
   * Writes the checkpoint into {@code dir} (created if needed). The metadata is written last, so a
   * directory with {@code checkpoint.json} is always complete.
   */
  public static void save(Path dir, LanguageModel network, CheckpointMetadata metadata) {
    if (!metadata.config().equals(network.config())
        || !metadata.tokenizer().equals(network.tokenizer().name())) {
      throw new IllegalArgumentException("metadata does not describe this network");
    }
    try {
      Files.createDirectories(dir);
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      network
          .namedParameters()
          .forEach(
              (name, p) ->
                  tensors.put(
                      name,
                      new Tensor(p.getArray().getShape().getShape(), p.getArray().toFloatArray())));
      Path weights = dir.resolve(WEIGHTS_FILE + ".tmp");
      SafeTensors.write(weights, tensors);
      Files.move(weights, dir.resolve(WEIGHTS_FILE), StandardCopyOption.REPLACE_EXISTING);
      Path meta = dir.resolve(METADATA_FILE + ".tmp");
      JSON.writeValue(meta.toFile(), metadata);
      Files.move(meta, dir.resolve(METADATA_FILE), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save checkpoint to " + dir, e);
    }
  }

  /** Whether {@code dir} holds a complete checkpoint. */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(METADATA_FILE))
        && Files.isRegularFile(dir.resolve(WEIGHTS_FILE));
  }

  /** Reads only {@code checkpoint.json}. */
  public static CheckpointMetadata readMetadata(Path dir) {
    try {
      return JSON.readValue(dir.resolve(METADATA_FILE).toFile(), CheckpointMetadata.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve(METADATA_FILE), e);
    }
  }

  /** Loads the network (with any heads it saved) onto {@code device}. */
  public static LanguageModel load(Path dir, Device device) {
    CheckpointMetadata metadata = readMetadata(dir);
    Map<String, float[]> values = new LinkedHashMap<>();
    try {
      SafeTensors.read(dir.resolve(WEIGHTS_FILE)).forEach((k, t) -> values.put(k, t.data()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve(WEIGHTS_FILE), e);
    }
    LanguageModel network =
        LanguageModel.create(metadata.config(), Tokenizer.byName(metadata.tokenizer()), device);
    try {
      network.load(values);
      return network;
    } catch (RuntimeException e) {
      network.close();
      throw e;
    }
  }
}
