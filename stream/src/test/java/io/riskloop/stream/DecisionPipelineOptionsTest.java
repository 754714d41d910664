package io.riskloop.stream;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecisionPipelineOptionsTest {

    private final DecisionPipeline.Options defaults = DecisionPipeline.Options.defaults("kafka:9092", Path.of("state"));

    @Test
    void defaultsCommitEveryTenMillisecondsOnOneThreadExactlyOnce() {
        Properties p = DecisionPipeline.properties(defaults);
        assertThat(p).containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 10)
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1)
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092")
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, DecisionPipeline.APPLICATION_ID);
    }

    @Test
    void tunedOptionsReachTheStreamsConfiguration() {
        Properties p = DecisionPipeline.properties(defaults.tuned(Duration.ofMillis(50), 3));
        assertThat(p).containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50)
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 3);
        // the Streams configuration accepts what we give it
        assertThat(new StreamsConfig(p).getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(50L);
    }

    @Test
    void refusesANonPositiveIntervalAndNoThreads() {
        assertThatThrownBy(() -> defaults.tuned(Duration.ZERO, 1)).hasMessageContaining("commit interval must be positive");
        assertThatThrownBy(() -> defaults.tuned(Duration.ofMillis(20), 0)).hasMessageContaining("at least one stream thread");
    }
}
