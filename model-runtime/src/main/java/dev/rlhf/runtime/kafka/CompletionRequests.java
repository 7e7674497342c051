package dev.rlhf.runtime.kafka;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.CompletionTexts;
import dev.rlhf.events.contract.CompletionsGenerated;
import dev.rlhf.events.contract.CompletionsGenerated.GeneratedCompletion;
import dev.rlhf.events.contract.CompletionsRequested;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.SamplingSettings;
import dev.rlhf.events.kafka.ConsumerSettings;
import dev.rlhf.events.kafka.EventConsumerLoop;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.events.kafka.RetryLater;
import dev.rlhf.lm.sample.Completion;
import dev.rlhf.lm.tokenizer.Role;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.runtime.config.KafkaSettings;
import dev.rlhf.runtime.config.RuntimeSettings;
import dev.rlhf.runtime.registry.NoVersionServedException;
import dev.rlhf.runtime.registry.UnknownVersionException;
import dev.rlhf.runtime.scoring.RewardScoring;
import dev.rlhf.runtime.service.CompletionService;
import dev.rlhf.runtime.service.Generation;
import dev.rlhf.runtime.service.InvalidRequestException;
import dev.rlhf.runtime.service.OverloadedException;
import dev.rlhf.runtime.service.SamplingRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Answers {@link CompletionsRequested} with {@link CompletionsGenerated}, once per request id.
 *
 * <p>The requests of a poll are sampled concurrently, so that the decoding loop batches them.
 * Transient failures (the queue is full, no network loaded yet) make the consumer loop retry the
 * poll after a pause; requests that can never succeed are dead-lettered with the reason. Consuming
 * starts after the version replay, so a request for a version published before this start is not
 * mistaken for one naming an unknown version.
 */
@ApplicationScoped
public class CompletionRequests {

  private final CompletionService service;
  private final RewardScoring scoring;
  private final ProcessedRequests processed;
  private final VersionEvents versions;
  private final KafkaSettings kafka;
  private final MeterRegistry meters;
  private EventPublisher publisher;
  private DeadLetters deadLetters;
  private final int inFlight;
  private EventConsumerLoop loop;
  private ExecutorService workers;
  private volatile boolean stopped;

  CompletionRequests(
      CompletionService service,
      RewardScoring scoring,
      ProcessedRequests processed,
      VersionEvents versions,
      KafkaSettings kafka,
      RuntimeSettings runtime,
      MeterRegistry meters) {
    this.inFlight = Math.max(1, runtime.kafkaRequestsInFlight());
    this.service = service;
    this.scoring = scoring;
    this.processed = processed;
    this.versions = versions;
    this.kafka = kafka;
    this.meters = meters;
  }

  void start(@Observes StartupEvent event) {
    publisher = new EventPublisher(kafka.bootstrapServers(), "model-runtime-completions");
    deadLetters = new DeadLetters(kafka.bootstrapServers());
    AtomicInteger count = new AtomicInteger();
    workers =
        Executors.newFixedThreadPool(
            inFlight,
            r -> {
              Thread t = new Thread(r, "completion-request-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    Thread starter = new Thread(this::startAfterReplay, "completion-requests-start");
    starter.setDaemon(true);
    starter.start();
  }

  private void startAfterReplay() {
    try {
      while (!stopped && !versions.awaitCaughtUp(Duration.ofSeconds(1))) {
        Log.debug("waiting for the model versions replay before taking requests");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    synchronized (this) {
      if (!stopped) {
        loop =
            EventConsumerLoop.batched(
                    kafka.bootstrapServers(),
                    kafka.groupId(),
                    List.of(Topic.COMPLETION_REQUESTS),
                    this::handle,
                    // The requests of a poll are decoded together, in the runtime's batch with the
                    // HTTP requests; a poll is as many as may be in flight at once.
                    ConsumerSettings.defaults().withMaxPollRecords(inFlight))
                .start();
      }
    }
  }

  synchronized void stop(@Observes ShutdownEvent event) {
    stopped = true;
    if (loop != null) {
      loop.close();
    }
    if (workers != null) {
      workers.shutdownNow();
    }
    if (publisher != null) {
      publisher.close();
    }
    if (deadLetters != null) {
      deadLetters.close();
    }
  }

  /**
   * Answers the requests of one poll at once: each is sampled on its own worker thread, so their
   * generations wait in the decoding batch together. Answers are published, and requests that can
   * never succeed dead-lettered, before a failure is thrown: the poll then comes again and what was
   * answered is skipped as a duplicate. A full queue or a base still being prepared is an outage
   * ({@link RetryLater}): the poll is retried after a pause, never dead-lettered.
   */
  void handle(List<PlatformEvent> events) {
    Map<UUID, CompletionsRequested> requests = new LinkedHashMap<>();
    for (PlatformEvent event : events) {
      if (!(event instanceof CompletionsRequested request)) {
        continue;
      }
      if (processed.contains(request.requestId())
          || requests.putIfAbsent(request.requestId(), request) != null) {
        count("duplicate");
      }
    }
    requests.values().removeIf(r -> processed.contains(r.requestId()));
    Map<CompletionsRequested, Future<CompletionsGenerated>> answers = new LinkedHashMap<>();
    for (CompletionsRequested request : requests.values()) {
      answers.put(request, workers.submit(() -> sampleDistinct(request)));
    }
    RuntimeException failure = null;
    RuntimeException transientFailure = null;
    for (Map.Entry<CompletionsRequested, Future<CompletionsGenerated>> e : answers.entrySet()) {
      CompletionsRequested request = e.getKey();
      try {
        publisher.publishAndWait(awaitAnswer(e.getValue()));
        processed.add(request.requestId());
        count("answered");
      } catch (InvalidRequestException | UnknownVersionException bad) {
        deadLetters.send(request, bad.getMessage());
        processed.add(request.requestId());
        count("dead-lettered");
      } catch (OverloadedException busy) {
        transientFailure = busy;
      } catch (NoVersionServedException none) {
        if (none.retryable()) transientFailure = none;
        else failure = none;
      } catch (RuntimeException other) {
        failure = other;
      }
    }
    if (failure != null) {
      throw failure;
    }
    if (transientFailure != null) {
      throw new RetryLater(transientFailure.getMessage());
    }
  }

  private static CompletionsGenerated awaitAnswer(Future<CompletionsGenerated> answer) {
    try {
      return answer.get();
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for completions", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Hotter rounds drawn, at most, when a request's samples read alike. */
  static final int HOTTER_ROUNDS = 2;

  /** Each hotter round multiplies the temperature by this. */
  static final double HOTTER_BY = 1.4;

  /** No round is drawn hotter than this: beyond it a small model's text falls apart. */
  static final double HOTTEST = 2.0;

  /** Keeps the rounds of a seeded request apart: round r uses seed + r x this prime. */
  private static final long ROUND_SEED_STRIDE = 1_000_003L;

  /**
   * Completions for labelers to rank are worth something only when they differ. A request for K is
   * sampled twice over (up to the runtime's most samples per call) and the first K texts that are
   * not near-duplicates of an earlier one are kept. A sharp policy often says the same thing every
   * time; then up to {@link #HOTTER_ROUNDS} more rounds are drawn, each {@link #HOTTER_BY} times
   * hotter (at most {@link #HOTTEST}), until K distinct texts are found, and each text carries the
   * temperature it was drawn at. Greedy requests are not heated. Every round is seeded from the
   * request's seed, so a seeded request repeats.
   */
  CompletionsGenerated sampleDistinct(CompletionsRequested request) {
    CompletionsGenerated answer =
        sampleDistinct(
            request,
            sampling ->
                service.chatWithinContext(request.policyVersion(), turns(request), sampling),
            () -> count("hotter-round"));
    return request.rewardVersion() == null ? answer : scored(request, answer);
  }

  /**
   * The answer with the reward scores of its completions, by the reward model the request names and
   * its check model. Scores only order the ranking tasks: when scoring fails (a version this
   * runtime has no reward checkpoint of, an unreadable one) the completions still go out, unscored,
   * and the requester orders the task by another signal.
   */
  private CompletionsGenerated scored(CompletionsRequested request, CompletionsGenerated answer) {
    try {
      RewardScoring.Scores scores =
          scoring.score(
              request.rewardVersion(),
              turns(request),
              answer.completions().stream().map(GeneratedCompletion::text).toList());
      CompletionsGenerated scored =
          new CompletionsGenerated(
              answer.eventId(),
              answer.occurredAt(),
              answer.requestId(),
              answer.promptId(),
              answer.policyVersion(),
              answer.sampling(),
              answer.completions(),
              answer.purpose(),
              scores.version(),
              scores.reward(),
              scores.check());
      countScoring("scored");
      return scored;
    } catch (RuntimeException e) {
      Log.warnf(
          "request %s: completions sent unscored, scoring with reward model %s failed: %s",
          request.requestId(), request.rewardVersion(), e.getMessage());
      countScoring("failed");
      return answer;
    }
  }

  /** {@link #sampleDistinct(CompletionsRequested)} over any way of drawing samples. */
  static CompletionsGenerated sampleDistinct(
      CompletionsRequested request, Function<SamplingRequest, Generation> draw, Runnable hotter) {
    SamplingRequest asked = sampling(request);
    Map<String, GeneratedCompletion> distinct = new LinkedHashMap<>();
    String version = null;
    double temperature = asked.temperatureOrDefault();
    for (int round = 0; round <= HOTTER_ROUNDS && distinct.size() < request.n(); round++) {
      if (round > 0) {
        if (temperature == 0 || temperature >= HOTTEST) break;
        temperature = Math.min(HOTTEST, temperature * HOTTER_BY);
        hotter.run();
      }
      Generation g = draw.apply(oversampled(asked, temperature, round));
      version = g.version();
      Double drawnAt = round == 0 ? null : temperature;
      for (Completion c : g.completions()) {
        if (distinct.size() == request.n()) break;
        distinct.putIfAbsent(
            CompletionTexts.duplicateKey(c.text()),
            new GeneratedCompletion(
                c.text(),
                c.tokens().length,
                c.finishReason().name().toLowerCase(Locale.ROOT),
                drawnAt));
      }
    }
    return new CompletionsGenerated(
        UUID.randomUUID(),
        Instant.now(),
        request.requestId(),
        request.promptId(),
        version,
        request.sampling(),
        List.copyOf(distinct.values()),
        request.purpose());
  }

  private static SamplingRequest oversampled(SamplingRequest s, double temperature, int round) {
    int n = Math.min(CompletionService.MAX_N, 2 * s.nOrDefault());
    Long seed = s.seed() == null ? null : s.seed() + ROUND_SEED_STRIDE * round;
    return new SamplingRequest(n, temperature, s.topP(), s.topK(), s.maxTokens(), s.stop(), seed);
  }

  private static SamplingRequest sampling(CompletionsRequested r) {
    SamplingSettings s = r.sampling();
    return new SamplingRequest(
        r.n(), s.temperature(), s.topP(), s.topK(), s.maxTokens(), s.stop(), s.seed());
  }

  private static List<Turn> turns(CompletionsRequested r) {
    return r.conversation().stream().map(t -> new Turn(role(t.role()), t.text())).toList();
  }

  private static Role role(ChatTurn.Role role) {
    return switch (role) {
      case SYSTEM -> Role.SYSTEM;
      case USER -> Role.USER;
      case ASSISTANT -> Role.ASSISTANT;
    };
  }

  private void countScoring(String outcome) {
    meters.counter("rlhf.runtime.reward.scorings", "outcome", outcome).increment();
  }

  private void count(String outcome) {
    meters.counter("rlhf.runtime.kafka.requests", "outcome", outcome).increment();
  }
}
