package dev.outpost.system.harness;

import static org.citrusframework.container.RepeatOnErrorUntilTrue.Builder.repeatOnError;

import org.citrusframework.TestActionBuilder;
import org.citrusframework.container.RepeatOnErrorUntilTrue;
import org.citrusframework.http.client.HttpClient;
import org.citrusframework.http.client.HttpClientBuilder;
import org.citrusframework.message.ErrorHandlingStrategy;

/** Small Citrus helpers shared by the end-to-end tests. */
public final class Citrus {
  private Citrus() {}

  /** A Citrus HTTP client that hands 4xx/5xx answers to the test instead of throwing. */
  public static HttpClient httpClient(String baseUrl) {
    return new HttpClientBuilder()
        .requestUrl(baseUrl)
        .errorHandlingStrategy(ErrorHandlingStrategy.PROPAGATE)
        .timeout(30_000L)
        .build();
  }

  /**
   * Citrus's poll: repeats the actions every half second until they pass, at most {@code seconds}.
   */
  public static RepeatOnErrorUntilTrue.Builder poll(int seconds, TestActionBuilder<?>... actions) {
    return repeatOnError().until("i >= " + (seconds * 2)).autoSleep(500L).actions(actions);
  }
}
