package dev.rlhf.labeling.arena;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BradleyTerryTest {

  @Test
  void shouldGiveAnUnbeatenVersionAFiniteScoreAboveTheOthers() {
    List<BradleyTerry.Game> games = new ArrayList<>();
    for (int i = 0; i < 10; i++) games.add(new BradleyTerry.Game(0, 1, 1));
    for (int i = 0; i < 10; i++) games.add(new BradleyTerry.Game(1, 2, i < 7 ? 1 : 0));

    double[] scores = BradleyTerry.fit(3, games);

    assertThat(scores[0]).isFinite().isGreaterThan(scores[1]);
    assertThat(scores[1]).isGreaterThan(scores[2]);
    // An iterative fit in doubles: its stopping rule leaves far less than 1e-6 of error.
    assertThat((scores[0] + scores[1] + scores[2]) / 3)
        .isCloseTo(1000, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void shouldScoreEvenlyMatchedVersionsAlikeWhenEveryVoteIsATie() {
    List<BradleyTerry.Game> games = new ArrayList<>();
    for (int i = 0; i < 6; i++) games.add(new BradleyTerry.Game(0, 1, 0.5));

    BradleyTerry.Rating[] ratings = BradleyTerry.rate(2, games, 100, 1);

    // An iterative fit in doubles: its stopping rule leaves far less than 1e-6 of error.
    assertThat(ratings[0].score()).isCloseTo(1000, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(ratings[1].score())
        .isCloseTo(ratings[0].score(), org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void shouldNarrowTheIntervalAsVotesAccumulate() {
    BradleyTerry.Rating few = BradleyTerry.rate(2, split(6), 200, 7)[0];
    BradleyTerry.Rating many = BradleyTerry.rate(2, split(120), 200, 7)[0];

    assertThat(many.upper() - many.lower()).isLessThan(few.upper() - few.lower());
  }

  @Test
  void shouldShowHowLittleOneVoteOrAUnanimousRecordProves() {
    BradleyTerry.Rating oneVote = BradleyTerry.rate(2, split(1), 200, 7)[0];
    List<BradleyTerry.Game> unanimous = new ArrayList<>();
    for (int i = 0; i < 5; i++) unanimous.add(new BradleyTerry.Game(0, 1, 1));
    BradleyTerry.Rating fiveWins = BradleyTerry.rate(2, unanimous, 200, 7)[0];

    for (BradleyTerry.Rating winner : List.of(oneVote, fiveWins)) {
      assertThat(winner.score()).isGreaterThan(1000);
      assertThat(winner.lower()).isLessThan(winner.score());
      assertThat(winner.upper()).isGreaterThanOrEqualTo(winner.score());
    }
    assertThat(oneVote.lower()).isLessThanOrEqualTo(1000);
  }

  /** Player 0 wins two thirds of n games against player 1. */
  private static List<BradleyTerry.Game> split(int n) {
    List<BradleyTerry.Game> games = new ArrayList<>();
    for (int i = 0; i < n; i++) games.add(new BradleyTerry.Game(0, 1, i % 3 == 2 ? 0 : 1));
    return games;
  }
}
